import type { LiveResources } from '../store/session-types.js';
import type { BuildSnapshot, LineDisplay } from '../core/engine.js';
import type { FollowedLine } from '../store/log-follower.js';

/** Where `buildmon run` shows a build: plain passthrough, or the live terminal window. */
export interface BuildView {
  /** One output line: its raw bytes, its decoded text and how it should be shown. */
  line(line: FollowedLine, text: string, display: LineDisplay): void;
  /** The engine's state now; views that draw decide when to redraw. */
  update(snapshot: BuildSnapshot): void;
  /** The build ended: draw the last frame and release the terminal. */
  finish(): void;
  /** The sampler's latest reading of the build's process tree, for views that show it. */
  resources?(reading: LiveResources): void;
}

/** Not a terminal: the build's output byte for byte, stdout to stdout and stderr to stderr, as without buildmon. */
export class PassthroughView implements BuildView {
  constructor(private readonly out: NodeJS.WritableStream, private readonly err: NodeJS.WritableStream) {}

  line(line: FollowedLine): void {
    (line.stream === 'err' ? this.err : this.out).write(line.newline ? Buffer.concat([line.raw, NEWLINE]) : line.raw);
  }

  update(): void {}

  finish(): void {}
}

const NEWLINE = Buffer.from('\n');
