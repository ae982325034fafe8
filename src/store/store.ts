import { ensureDir } from './ensure-dir.js';
import { openDatabase, type Db } from './database.js';
import { homeLayout, resolveHome, type HomeLayout } from './home.js';
import { SessionStore } from './session-store.js';
import { BuildDetailStore } from './build-detail-store.js';
import { PastBuildStore } from './past-build-store.js';
import { ResourceStore } from './resource-store.js';

/** Everything persistent: the database and the folder of build logs. */
export interface Store {
  layout: HomeLayout;
  db: Db;
  sessions: SessionStore;
  details: BuildDetailStore;
  /** Finished builds as prediction reads them. */
  past: PastBuildStore;
  /** Sampled CPU and memory of builds' process trees. */
  resources: ResourceStore;
  close(): void;
}

/** Opens the store in `home` (default: resolved from the environment), creating it on first use. */
export function openStore(home: string = resolveHome()): Store {
  const layout = homeLayout(home);
  ensureDir(layout.logsDir);
  const db = openDatabase(layout.dbPath, layout.logsDir);
  return { layout, db, sessions: new SessionStore(db), details: new BuildDetailStore(db), past: new PastBuildStore(db), resources: new ResourceStore(db), close: () => db.close() };
}
