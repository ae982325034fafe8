import { ensureDir } from './ensure-dir.js';
import { openDatabase, type Db } from './database.js';
import { homeLayout, resolveHome, type HomeLayout } from './home.js';
import { SessionStore } from './session-store.js';
import { BuildDetailStore } from './build-detail-store.js';

/** Everything persistent: the database and the folder of build logs. */
export interface Store {
  layout: HomeLayout;
  db: Db;
  sessions: SessionStore;
  details: BuildDetailStore;
  close(): void;
}

/** Opens the store in `home` (default: resolved from the environment), creating it on first use. */
export function openStore(home: string = resolveHome()): Store {
  const layout = homeLayout(home);
  ensureDir(layout.logsDir);
  const db = openDatabase(layout.dbPath, layout.logsDir);
  return { layout, db, sessions: new SessionStore(db), details: new BuildDetailStore(db), close: () => db.close() };
}
