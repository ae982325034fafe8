import type { BuildSnapshot, LineDisplay } from '../core/engine.js';

/** Where `buildmon run` shows a build: plain passthrough, or the live terminal window. */
export interface BuildView {
  /** One output line: its raw bytes, its decoded text and how it should be shown. */
  line(raw: Buffer, text: string, display: LineDisplay): void;
  /** The engine's state now; views that draw decide when to redraw. */
  update(snapshot: BuildSnapshot): void;
  /** The build ended: draw the last frame and release the terminal. */
  finish(): void;
}

/** Not a terminal: the build's output byte for byte, exactly as without buildmon. */
export class PassthroughView implements BuildView {
  constructor(private readonly out: NodeJS.WritableStream) {}

  line(raw: Buffer): void {
    this.out.write(Buffer.concat([raw, NEWLINE]));
  }

  update(): void {}

  finish(): void {}
}

const NEWLINE = Buffer.from('\n');
