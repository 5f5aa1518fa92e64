import type { Hang } from '../explore/isolate/hang.ts';
import { HeartbeatPoller } from '../explore/isolate/poller.ts';

/**
 * The CLI's watchdog over its worker threads. JavaScript cannot interrupt
 * code that never yields (`while (true) {}`, an endless chain of promises),
 * so a scenario stuck in one would hold its worker forever and the run with
 * it. Each task of the pool writes a heartbeat (engine/heartbeat.ts) at every
 * step; the watchdog, in the CLI's own thread, reads them as the isolated
 * exploration's does (explore/isolate/poller.ts). A task whose heartbeat has
 * not moved for `stepTimeoutMs` while it runs is given up on: `onHang` reads
 * what it was doing, and the caller aborts the task, which terminates its
 * worker (piscina starts another).
 */
export class Watchdog {
  private readonly poller: HeartbeatPoller;

  constructor(stepTimeoutMs: number) {
    this.poller = new HeartbeatPoller(stepTimeoutMs);
  }

  /**
   * Watches one task's heartbeat while `running()` says it runs (a queued
   * task does not beat, nor one that is sending its answer). Returns the function that stops
   * watching it, to call once the task has answered.
   */
  watch(heartbeat: Int32Array, running: () => boolean, onHang: (hang: Hang) => void): () => void {
    return this.poller.watch({ heartbeat, running, onHang });
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
}
