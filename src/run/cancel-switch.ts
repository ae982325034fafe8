/**
 * A cancel request that may arrive at any time, even before the build has started: the runner
 * installs its signal handlers first thing and hands this to whoever owns the build by then.
 */
export class CancelSwitch {
  private wasRequested = false;
  private readonly listeners: Array<() => void> = [];

  get requested(): boolean {
    return this.wasRequested;
  }

  request(): void {
    if (this.wasRequested) return;
    this.wasRequested = true;
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` once on the first request (at once if it already came). */
  onRequest(listener: () => void): void {
    if (this.wasRequested) listener();
    else this.listeners.push(listener);
  }
}
