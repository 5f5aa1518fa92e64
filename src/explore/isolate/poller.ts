import { BEATS } from '../../engine/heartbeat.ts';
import { real } from '../../engine/realTimers.ts';
import { wallClock } from '../wallClock.ts';
import { readHang, type Hang } from './hang.ts';

/**
 * How often a watchdog reads the heartbeats it watches, at most. A hang is
 * called between `stepTimeoutMs` and `stepTimeoutMs + POLL_MS` after its
 * step stopped beating: at the default 5 s timeout that is at most 1% late,
 * and reading a few shared integers 20 times a second costs the watching
 * thread nothing it would notice. A shorter timeout is read four times over
 * its span, but never more often than every MIN_POLL_MS, so that a tiny
 * timeout does not keep the watching thread busy.
 */
export const POLL_MS = 50;
const MIN_POLL_MS = 5;

/** The one polling interval of every watchdog: the isolated exploration's (isolated.ts) and the CLI's (cli/watchdog.ts). */
export function pollInterval(stepTimeoutMs: number): number {
  return Math.max(MIN_POLL_MS, Math.min(POLL_MS, stepTimeoutMs / 4));
}

/** One heartbeat to watch. */
export interface Watch {
  readonly heartbeat: Int32Array;
  /**
   * Whether the work runs now; default: always. Work that does not run (a
   * task still queued, or one sending its answer) does not beat, and is not
   * timed: its clock starts again when it runs.
   */
  readonly running?: () => boolean;
  /** How long the work may run before its first beat (a worker loading the scenario's module); default the step timeout. */
  readonly startupMs?: number;
  /** Called once, when the heartbeat stood still too long: what the heartbeat says was running. Watching has stopped. */
  readonly onHang: (hang: Hang) => void;
}

interface Entry extends Watch {
  /** The beat count last read; -1 until the work is seen running. */
  beat: number;
  /** When the beat count last changed. */
  since: number;
  /** When the work was first seen running: a hang's elapsed time counts from it. */
  startedAt: number;
}

/**
 * Reads heartbeats written by executions in other threads (engine/heartbeat.ts)
 * and calls a watch's `onHang` when its beat count has not moved for
 * `stepTimeoutMs` while the work ran: the step that began last never
 * reached a scheduling point. One timer for every heartbeat watched,
 * running only while there is one.
 */
export class HeartbeatPoller {
  private readonly watched = new Set<Entry>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly stepTimeoutMs: number) {}

  /** Watches one heartbeat; returns the function that stops watching it (calling it twice is harmless). */
  watch(watch: Watch): () => void {
    const entry: Entry = { ...watch, beat: -1, since: 0, startedAt: 0 };
    // Work that always runs is timed from now.
    if (watch.running === undefined) this.seen(entry, wallClock.now());
    this.watched.add(entry);
    this.timer ??= real.setInterval(() => this.poll(), pollInterval(this.stepTimeoutMs));
    return () => this.unwatch(entry);
  }

  private seen(entry: Entry, now: number): void {
    entry.startedAt = now;
    entry.beat = Atomics.load(entry.heartbeat, BEATS);
    entry.since = now;
  }

  private unwatch(entry: Entry): void {
    this.watched.delete(entry);
    if (this.watched.size === 0 && this.timer !== undefined) {
      real.clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private poll(): void {
    const now = wallClock.now();
    for (const entry of this.watched) {
      if (entry.running !== undefined && !entry.running()) {
        if (entry.beat >= 0) entry.since = now;
        continue;
      }
      if (entry.beat < 0) {
        this.seen(entry, now);
        continue;
      }
      const beat = Atomics.load(entry.heartbeat, BEATS);
      if (beat !== entry.beat) {
        entry.beat = beat;
        entry.since = now;
        continue;
      }
      const allowed = beat === 0 && entry.startupMs !== undefined ? entry.startupMs : this.stepTimeoutMs;
      if (now - entry.since < allowed) continue;
      this.unwatch(entry);
      entry.onHang(readHang(entry.heartbeat, allowed, now - entry.startedAt));
    }
  }
}
