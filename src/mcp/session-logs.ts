import { setImmediate as yieldToEvents } from 'node:timers/promises';
import type { SessionRecord } from '../store/session-types.js';
import { LogIndex } from './log-index.js';

/** A session's log as far as it is indexed now. */
export interface IndexedLog {
  index: LogIndex;
  /** True when every line in the file is indexed; false means "still indexing, ask again". */
  ready: boolean;
  /** True once the session has ended and its log is wholly indexed: no more lines will come. */
  complete: boolean;
}

/** Indexing runs in slices of this many milliseconds, other requests being served in between. */
const SLICE_MS = 40;
/** A call waits at most this long for indexing before it answers with what there is. */
export const INDEX_WAIT_MS = 500;

/**
 * Indexes sessions' logs incrementally (only what was appended since the last call), classifying
 * each line as the live terminal view does. Keeps the last few sessions' indexes (a few bytes a
 * line, never the text); a session read again after it was dropped is indexed again from its log.
 */
export class SessionLogs {
  private readonly entries = new Map<string, LogIndex>();

  constructor(private readonly maxSessions = 4, private readonly nowMs: () => number = () => performance.now()) {}

  /**
   * Brings the session's index up to date for at most `waitMs`, in slices that let other requests
   * through; a log too large for that is indexed further by the next call.
   */
  async read(s: SessionRecord, ended: boolean, waitMs = INDEX_WAIT_MS): Promise<IndexedLog> {
    let index = this.entries.get(s.id);
    if (index) this.entries.delete(s.id);
    else index = new LogIndex(s);
    this.entries.set(s.id, index);
    this.evict();
    const stopAt = this.nowMs() + waitMs;
    for (;;) {
      if (index.advance(s, ended, SLICE_MS, this.nowMs)) return { index, ready: true, complete: ended };
      if (this.nowMs() >= stopAt) return { index, ready: false, complete: false };
      await yieldToEvents();
    }
  }

  close(): void {
    this.entries.clear();
  }

  private evict(): void {
    while (this.entries.size > this.maxSessions) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
