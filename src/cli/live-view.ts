import type { LiveResources } from '../store/session-types.js';
import { formatBytes } from '../core/predict/format-bytes.js';
import type { BuildSnapshot, LineDisplay } from '../core/engine.js';
import { formatDuration, formatEta } from '../core/format.js';
import { displayText } from '../core/log-format.js';
import type { FollowedLine } from '../store/log-follower.js';
import type { BuildView } from './view.js';

export interface LiveViewOptions {
  title: string;
  verbose: boolean;
  /** Redraws at most this often. */
  frameMs: number;
  now: () => number;
  columns: () => number;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const BAR_WIDTH = 20;

/**
 * A small window pinned at the bottom of the terminal: elapsed, progress, ETA, what is running.
 * Warnings and errors (every line with `verbose`) are printed in full above it; routine lines are
 * only counted. Events only update state; drawing happens at most once per frame.
 */
export class LiveView implements BuildView {
  private pending: string[] = [];
  private snap: BuildSnapshot | null = null;
  private drawnLines = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastDrawMs = Number.NEGATIVE_INFINITY;
  private frame = 0;
  private reading: LiveResources | null = null;

  constructor(private readonly out: NodeJS.WritableStream, private readonly opts: LiveViewOptions) {}

  line(_line: FollowedLine, text: string, display: LineDisplay): void {
    if (this.opts.verbose || display === 'notable') this.pending.push(displayText(text));
    this.schedule();
  }

  update(snapshot: BuildSnapshot): void {
    this.snap = snapshot;
    this.schedule();
  }

  resources(reading: LiveResources): void {
    this.reading = reading;
  }

  finish(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.draw(false);
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastDrawMs + this.opts.frameMs - this.opts.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.draw(true);
    }, wait);
    this.timer.unref();
  }

  private draw(withWindow: boolean): void {
    this.lastDrawMs = this.opts.now();
    let text = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A\r\x1b[J` : '';
    for (const l of this.pending) text += l + '\n';
    this.pending = [];
    const window = withWindow ? this.windowLines() : [];
    for (const l of window) text += l + '\n';
    this.drawnLines = window.length;
    this.out.write(text);
  }

  private windowLines(): string[] {
    const s = this.snap;
    const width = Math.max(20, this.opts.columns() - 1);
    const spin = SPINNER[this.frame++ % SPINNER.length] as string;
    if (!s) return [fit(`${spin} ${this.opts.title} starting…`, width)];
    const pct = s.progressPct;
    const bar = pct === null ? '' : ` ${progressBar(pct)} ${pct.toFixed(0).padStart(3)}%`;
    const eta = s.remainingMs === null ? 'ETA unknown' : `ETA ${formatEta(s.remainingMs, s.atMs)}`;
    const first = `${spin} ${this.opts.title}  ${formatDuration(s.elapsedMs)}${bar}  ${eta}`;
    const now = s.activity.length > 0 ? `  ${s.activity.slice().reverse().join(' · ')}` : '  waiting for output…';
    const r = this.reading;
    const res = r === null ? '' : ` · mem ${formatBytes(r.rssBytes)}${r.cpuPct === null ? '' : ` · cpu ${Math.round(r.cpuPct)}%`}`;
    const counts = `  ${s.lineCount} lines · ${s.warningCount} warning${s.warningCount === 1 ? '' : 's'} · ${s.errorCount} error${s.errorCount === 1 ? '' : 's'}${res}`;
    const pk = s.packages;
    if (pk.total === 0) return [fit(first, width), fit(now, width), fit(counts, width)];
    const active = pk.active.map((p) => `${p.name}${p.status === 'linking' ? ' linking' : ` ${p.filesDone}/${p.filesTotal ?? '?'}`}`).join(' · ');
    const packages = `  packages ${pk.completed}/${pk.total} done${pk.failed > 0 ? ` · ${pk.failed} failed` : ''}${active ? ` · ${active}` : ''}`;
    return [fit(first, width), fit(packages, width), fit(now, width), fit(counts, width)];
  }
}

function progressBar(pct: number): string {
  const filled = Math.round((Math.min(100, Math.max(0, pct)) / 100) * BAR_WIDTH);
  return '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
}

function fit(line: string, width: number): string {
  return line.length <= width ? line : line.slice(0, width - 1) + '…';
}
