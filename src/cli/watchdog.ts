import { BEATS } from '../engine/heartbeat.ts';
import { readHang, type Hang } from '../explore/isolate/hang.ts';

/**
 * The CLI's watchdog over its worker threads. JavaScript cannot interrupt
 * code that never yields (`while (true) {}`, an endless chain of promises),
 * so a scenario stuck in one would hold its worker forever and the run with
 * it. Each task of the pool writes a heartbeat (engine/heartbeat.ts) at every
 * step; the watchdog, in the CLI's own thread, reads them a few times a
 * second. A task whose heartbeat has not moved for `stepTimeoutMs` while it
 * runs is given up on: `onHang` reads what it was doing, and the caller
 * aborts the task, which terminates its worker (piscina starts another).
 */
export class Watchdog {
  private readonly watched = new Set<Watched>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly stepTimeoutMs: number) {}

  /**
   * Watches one task's heartbeat while `running()` says it runs (a queued
   * task does not beat, nor one that is sending its answer). Returns the function that stops
   * watching it, to call once the task has answered.
   */
  watch(heartbeat: Int32Array, running: () => boolean, onHang: (hang: Hang) => void): () => void {
    const entry: Watched = { heartbeat, running, onHang, beat: -1, since: 0, startedAt: 0 };
    this.watched.add(entry);
    this.timer ??= setInterval(() => this.check(), Math.max(5, Math.min(100, this.stepTimeoutMs / 4)));
    return () => this.unwatch(entry);
  }

  /**
   * Runs one pool task under the watchdog: its answer, or, if its heartbeat
   * stopped while it ran, what `onHang` makes of the hang — the task is then
   * aborted, which terminates its worker, and its rejection is set aside.
   */
  async run<T>(heartbeat: Int32Array, running: () => boolean, task: (signal: AbortSignal) => Promise<T>, onHang: (hang: Hang) => T): Promise<T> {
    const hung = new AbortController();
    let found: { readonly answer: T } | undefined;
    const unwatch = this.watch(heartbeat, running, (hang) => {
      found = { answer: onHang(hang) };
      hung.abort();
    });
    try {
      return await task(hung.signal);
    } catch (error) {
      if (found === undefined) throw error;
      return found.answer;
    } finally {
      unwatch();
    }
  }

  private unwatch(entry: Watched): void {
    this.watched.delete(entry);
    if (this.watched.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private check(): void {
    const now = performance.now();
    for (const entry of this.watched) {
      // Queued, or done and answering (a big trace takes a while to send): not a step that hangs.
      if (!entry.running()) {
        if (entry.beat >= 0) entry.since = now;
        continue;
      }
      if (entry.beat < 0) entry.startedAt = now;
      const beat = Atomics.load(entry.heartbeat, BEATS);
      if (beat !== entry.beat) {
        entry.beat = beat;
        entry.since = now;
        continue;
      }
      if (now - entry.since < this.stepTimeoutMs) continue;
      this.unwatch(entry);
      entry.onHang(readHang(entry.heartbeat, this.stepTimeoutMs, now - entry.startedAt));
    }
  }
}

interface Watched {
  readonly heartbeat: Int32Array;
  readonly running: () => boolean;
  readonly onHang: (hang: Hang) => void;
  /** The beat count last read; -1 until the task is seen running. */
  beat: number;
  /** When the beat count last changed. */
  since: number;
  startedAt: number;
}
