/**
 * The watchdogs' one poller (explore/isolate/poller.ts), on heartbeats
 * written by hand: its interval, when a heartbeat that stands still is a
 * hang, and when it is not (work that beats, work that is not running, a
 * worker still starting). The end-to-end cases, with real workers, are in
 * test/engine/watchdog.test.ts and test/cli.watchdog.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BEATS, createHeartbeat, STEP } from '../../src/engine/heartbeat.ts';
import type { Hang } from '../../src/explore/isolate/hang.ts';
import { HeartbeatPoller, POLL_MS, pollInterval } from '../../src/explore/isolate/poller.ts';
import { wallClock } from '../../src/explore/wallClock.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Resolves once `check` holds, polling every millisecond (a few seconds at most). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 3000 && !check(); i++) await new Promise((r) => setTimeout(r, 1));
  expect(check()).toBe(true);
}

describe('the interval', () => {
  it('is a quarter of the step timeout, between 5 ms and POLL_MS', () => {
    expect(POLL_MS).toBe(50);
    expect(pollInterval(5000)).toBe(50);
    expect(pollInterval(200)).toBe(50);
    expect(pollInterval(100)).toBe(25);
    expect(pollInterval(8)).toBe(5);
  });
});

describe('a heartbeat', () => {
  it('that stands still for the step timeout is a hang, reported once, with what the heartbeat says and the time since watching began', async () => {
    let now = 1e9;
    vi.spyOn(wallClock, 'now').mockImplementation(() => (now += 10));
    const heartbeat = createHeartbeat();
    heartbeat[BEATS] = 3;
    heartbeat[STEP] = 7;
    const hangs: Hang[] = [];
    new HeartbeatPoller(40).watch({ heartbeat, onHang: (hang) => hangs.push(hang) });
    await until(() => hangs.length > 0);
    await new Promise((r) => setTimeout(r, 30));
    expect(hangs).toHaveLength(1);
    expect(hangs[0]).toMatchObject({ step: 7, stepTimeoutMs: 40 });
    expect(hangs[0]!.elapsedMs).toBeGreaterThanOrEqual(40);
  });

  it('that beats is never a hang, and watching it stops when asked', async () => {
    let now = 1e9;
    vi.spyOn(wallClock, 'now').mockImplementation(() => (now += 10));
    const heartbeat = createHeartbeat();
    const hangs: Hang[] = [];
    const unwatch = new HeartbeatPoller(20).watch({ heartbeat, onHang: (hang) => hangs.push(hang) });
    for (let i = 0; i < 40; i++) {
      Atomics.add(heartbeat, BEATS, 1);
      await new Promise((r) => setTimeout(r, 2));
    }
    unwatch();
    unwatch();
    expect(hangs).toEqual([]);
  });

  it('of work that is not running is not timed, and is timed from when it runs', async () => {
    let now = 1e9;
    vi.spyOn(wallClock, 'now').mockImplementation(() => (now += 10));
    const heartbeat = createHeartbeat();
    let running = false;
    const hangs: Hang[] = [];
    new HeartbeatPoller(20).watch({ heartbeat, running: () => running, onHang: (hang) => hangs.push(hang) });
    await new Promise((r) => setTimeout(r, 60));
    expect(hangs).toEqual([]);
    running = true;
    await until(() => hangs.length > 0);
    expect(hangs[0]!.elapsedMs).toBeLessThan(200);
  });

  it('that has not beaten yet gets the startup allowance, then the step timeout', async () => {
    let now = 1e9;
    vi.spyOn(wallClock, 'now').mockImplementation(() => (now += 10));
    const heartbeat = createHeartbeat();
    const hangs: Hang[] = [];
    new HeartbeatPoller(20).watch({ heartbeat, startupMs: 1e6, onHang: (hang) => hangs.push(hang) });
    await new Promise((r) => setTimeout(r, 60));
    expect(hangs).toEqual([]);
    Atomics.add(heartbeat, BEATS, 1);
    await until(() => hangs.length > 0);
    expect(hangs[0]!.stepTimeoutMs).toBe(20);
  });
});
