/**
 * A reference model of the order in which Node fires timeouts, intervals and
 * immediates, written to be read against Node's own code rather than to be
 * fast: every rule below is a line of lib/internal/timers.js or lib/timers.js
 * (as read from Node 20.20's own sources), cited where it is used. The
 * law checker replays an engine trace through it; test/engine/
 * nodeTimerModel.test.ts checks it against real Node, instant for instant.
 *
 * The order is not "by deadline". Node keeps one list per (truncated)
 * duration, `timerListMap[msecs]`, in insertion order, each timer stamped
 * with `_idleStart`, the loop's time when it was inserted. The lists sit in
 * a priority queue ordered by (list.expiry, list.id); a list is made with
 * expiry = its first timer's start + msecs and a fresh id. A timers phase at
 * `now` (processTimers) takes the top list while its expiry is <= now and
 * walks it (listOnTimeout): each timer in turn fires if `now - _idleStart >=
 * msecs`; at the first one that is not due the list gets expiry =
 * max(_idleStart + msecs, now + 1) and a fresh id, goes back in the queue,
 * and the walk moves to the next list. So `setTimeout(A, 100)` and
 * `setTimeout(B, 150)` at 0, then `setTimeout(C, 100)` at 60, fire A C B when
 * the loop wakes at 300 (C rides in A's list, whose expiry 100 comes before
 * B's 150), and A B C when it wakes punctually.
 *
 * The API is stepwise because a callback that runs during a phase arms,
 * clears and refreshes timers that change what the same phase fires next:
 * call nextTimer(), run that callback (feeding its arm/clear/refresh calls
 * to the model), call nextTimer() again, until it returns undefined.
 *
 * Instants are the loop's clock in milliseconds (Node's libuv `now`); the
 * model never reads a clock of its own.
 */

/** lib/internal/timers.js: `const TIMEOUT_MAX = 2 ** 31 - 1;` */
export const TIMEOUT_MAX = 2 ** 31 - 1;

/**
 * The duration a Timeout keeps as `_idleTimeout`, from the raw delay
 * argument (lib/internal/timers.js, the Timeout constructor):
 * `after *= 1; if (!(after >= 1 && after <= TIMEOUT_MAX)) after = 1;`.
 * So 0, negative numbers, NaN, undefined, non-numeric strings and anything
 * above TIMEOUT_MAX (2 ** 31 included) become 1; '10' becomes 10; 1.7 stays
 * 1.7 (insert() truncates it to file it under list 1). A BigInt or a Symbol
 * throws the TypeError that `*` throws, as setTimeout does.
 */
export function coerceDelay(delay: unknown): number {
  // `* 1` rather than Number(): Number(10n) is 10, while Node's `after *= 1` throws on a BigInt.
  const after = (delay as number) * 1;
  return after >= 1 && after <= TIMEOUT_MAX ? after : 1;
}

/** A Timeout's fields that decide its order (lib/internal/timers.js, class Timeout). */
interface Timer {
  readonly id: number;
  /** `_idleTimeout`: the coerced delay, untruncated; -1 once unenroll() ran, which makes refresh() a no-op. */
  idleTimeout: number;
  /** `_repeat`: the coerced delay for an interval, null for a timeout. */
  readonly repeat: number | null;
  /** `_idleStart`: the loop's time at its last insert(). */
  start: number;
  /** `_onTimeout !== null`: clearTimeout() nulls it; a timer without one is dropped silently when reached. */
  hasCallback: boolean;
  /** `_destroyed`. */
  destroyed: boolean;
  /** `[kRefed]`: unenroll() deletes an emptied list only for a refed timer. */
  refed: boolean;
  /** The list it is linked into; undefined when unlinked (L.remove). */
  list: TimerList | undefined;
}

/** lib/internal/timers.js, class TimersList. */
interface TimerList {
  readonly msecs: number;
  expiry: number;
  id: number;
  /** Oldest first: L.peek() is timers[0], L.append() pushes. */
  readonly timers: Timer[];
}

/** The callback nextTimer() last returned, until the model learns it ended. */
interface Running {
  readonly timer: Timer;
  /** For an interval: `start = binding.getLibuvNow()` taken just before its callback. */
  readonly start: number;
}

export class NodeTimerModel {
  private readonly timers = new Map<number, Timer>();
  /** `timerListMap`: msecs -> the list new timers of that duration join. */
  private readonly listMap = new Map<number, TimerList>();
  /** `timerListQueue`, kept as a plain array: its top is the minimum by (expiry, id), found by a scan. */
  private readonly queue: TimerList[] = [];
  /** `timerListId`: every list made or re-queued takes the next one. */
  private nextListId = 0;
  /** The `now` of the timers phase in progress; undefined between phases. */
  private phaseNow: number | undefined;
  /** The list listOnTimeout is walking, if any. */
  private walking: TimerList | undefined;
  private running: Running | undefined;
  /** `immediateQueue`: setImmediate() appends to it. */
  private immediateQueue: number[] = [];
  /** What processImmediate is running: the queue as it was when the check phase began. */
  private outstanding: number[] = [];

  /**
   * setTimeout/setInterval/rt.sleep at the loop's time `now`, with the raw
   * delay argument. `refed: false` is a timer made unref'd from the start
   * (AbortSignal.timeout, timers/promises with `ref: false`).
   * lib/timers.js setTimeout: `new Timeout(callback, after, args, isRepeat, true); insert(timeout, timeout._idleTimeout);`.
   */
  arm(id: number, delay: unknown, now: number, repeat: boolean, refed = true): void {
    const known = this.timers.get(id);
    if (known !== undefined && (known.list !== undefined || this.running?.timer === known)) {
      throw new Error(`NodeTimerModel: timer ${id} is armed already; every setTimeout/setInterval needs an id of its own`);
    }
    const after = coerceDelay(delay);
    const timer: Timer = {
      id,
      idleTimeout: after,
      repeat: repeat ? after : null,
      start: now,
      hasCallback: true,
      destroyed: false,
      refed,
      list: undefined,
    };
    this.timers.set(id, timer);
    this.insert(timer, timer.idleTimeout, now);
  }

  /**
   * clearTimeout/clearInterval (lib/timers.js): `if (timer && timer._onTimeout) { timer._onTimeout = null; unenroll(timer); }`.
   * Unknown ids, and timers cleared already, are ignored. A timeout that has
   * fired is destroyed, so unenroll() returns at once; but its callback is
   * gone, so a later refresh() re-arms it as a timer that fires nothing.
   */
  clear(id: number): void {
    const timer = this.timers.get(id);
    if (timer === undefined || !timer.hasCallback) return;
    timer.hasCallback = false;
    this.unenroll(timer);
  }

  /**
   * timeout.refresh() (lib/internal/timers.js): `active(this)` ->
   * insertGuarded(): `if (msecs < 0 || msecs === undefined) return;
   * insert(item, msecs, start);` and a destroyed timer comes back to life.
   * So a pending timer moves to the end of its list with a new start, a
   * timeout that has fired is armed again, and a cleared timer stays
   * cleared (unenroll() set its `_idleTimeout` to -1).
   */
  refresh(id: number, now: number): void {
    const timer = this.timers.get(id);
    if (timer === undefined || timer.idleTimeout < 0) return;
    this.insert(timer, timer.idleTimeout, now);
    timer.destroyed = false;
  }

  /** timeout.unref(): only changes whether clearing it deletes its emptied list (unenroll). */
  unref(id: number): void {
    const timer = this.timers.get(id);
    if (timer !== undefined) timer.refed = false;
  }

  /** timeout.ref(). */
  ref(id: number): void {
    const timer = this.timers.get(id);
    if (timer !== undefined) timer.refed = true;
  }

  /**
   * The instant at which a punctual loop runs its next timers phase: the
   * top list's expiry (processTimers returns it as `nextExpiry`, which is
   * when Node's one libuv timer is set to go off), or undefined when no
   * timer is armed. It can be a stale instant at which nothing fires: a
   * list keeps its expiry when its first timer is cleared.
   */
  nextWake(): number | undefined {
    return this.top()?.expiry;
  }

  /**
   * Distinct instants >= `from`, ascending, at which the outcome of a
   * timers phase can change: every armed timer's due instant (`_idleStart +
   * msecs`) and every queued list's expiry, stale ones included (a wake-up
   * at a stale expiry fires nothing but gives the list a fresh id, which can
   * reorder two lists due later at the same instant). Between two
   * consecutive instants of this list, a phase at any `now` does the same.
   */
  dueInstants(from: number, count: number): number[] {
    const instants = new Set<number>();
    for (const list of this.queue) {
      instants.add(list.expiry);
      for (const timer of list.timers) instants.add(timer.start + list.msecs);
    }
    return [...instants]
      .filter((instant) => instant >= from)
      .sort((a, b) => a - b)
      .slice(0, count);
  }

  /** processTimers(now): the loop's time is read once, when the phase begins, and every comparison of the phase uses it. */
  beginTimersPhase(now: number): void {
    this.endCallback();
    this.phaseNow = now;
    this.walking = undefined;
  }

  /**
   * The next timer the phase fires, or undefined when the phase is over.
   * Calling it also tells the model that the callback it returned last has
   * ended (see endCallback). `callbackStart` is the loop's time just before
   * this callback, which an interval is re-armed from; it is the phase's
   * `now` unless earlier callbacks of the phase took time.
   *
   * processTimers: `while ((list = timerListQueue.peek()) != null) { if (list.expiry > now) return ...; listOnTimeout(list, now); }`
   * listOnTimeout: `while ((timer = L.peek(list)) != null) { if (now - timer._idleStart < msecs) { list.expiry = MathMax(timer._idleStart + msecs, now + 1); list.id = timerListId++; timerListQueue.percolateDown(1); return; } L.remove(timer); ... run it }`
   * then, the list walked out: `if (list === timerListMap[msecs]) { delete timerListMap[msecs]; timerListQueue.shift(); }`.
   */
  nextTimer(callbackStart?: number): number | undefined {
    this.endCallback();
    const now = this.phaseNow;
    if (now === undefined) return undefined;
    for (;;) {
      if (this.walking === undefined) {
        const top = this.top();
        if (top === undefined || top.expiry > now) {
          this.phaseNow = undefined;
          return undefined;
        }
        this.walking = top;
      }
      const list = this.walking;
      const timer = list.timers[0];
      if (timer === undefined) {
        // The walk emptied it. A callback may have cleared its last timer already, which deleted it
        // (unenroll), and a new list of this duration may have been made since: only the map's own list goes.
        if (this.listMap.get(list.msecs) === list) {
          this.listMap.delete(list.msecs);
          this.dequeue(list);
        }
        this.walking = undefined;
        continue;
      }
      if (now - timer.start < list.msecs) {
        // Not due: this timer blocks the rest of its list, even a timer behind it that is due
        // (an interval re-inserted with an earlier start behind one armed by its own callback).
        list.expiry = Math.max(timer.start + list.msecs, now + 1);
        list.id = this.nextListId++;
        this.walking = undefined;
        continue;
      }
      this.unlink(timer);
      if (!timer.hasCallback) {
        // `if (!timer._onTimeout) { ... timer._destroyed = true; ... continue; }`: a refreshed timeout cleared after it fired.
        timer.destroyed = true;
        continue;
      }
      // `if (timer._repeat) start = binding.getLibuvNow();` before the callback.
      this.running = { timer, start: callbackStart ?? now };
      return timer.id;
    }
  }

  /**
   * The callback nextTimer() returned has ended: listOnTimeout's `finally`.
   * An interval still live is re-inserted at the end of its list with the
   * start taken before its callback; it goes *after* whatever its callback
   * armed in the same list. A timeout not re-armed (by refresh) is
   * destroyed. nextTimer(), beginTimersPhase() and beginCheckPhase() call it
   * themselves; call it directly only to mark the end more precisely (in
   * Node the `finally` runs before the microtasks the callback queued).
   * `if (timer._repeat && timer._idleTimeout !== -1) { timer._idleTimeout = timer._repeat; insert(timer, timer._idleTimeout, start); }
   *  else if (!timer._idleNext && !timer._idlePrev && !timer._destroyed) { timer._destroyed = true; ... }`
   */
  endCallback(): void {
    const running = this.running;
    if (running === undefined) return;
    this.running = undefined;
    const timer = running.timer;
    if (timer.repeat !== null && timer.idleTimeout !== -1) {
      timer.idleTimeout = timer.repeat;
      this.insert(timer, timer.idleTimeout, running.start);
    } else if (timer.list === undefined && !timer.destroyed) {
      timer.destroyed = true;
    }
  }

  /** setImmediate(): appended to `immediateQueue` (lib/timers.js, class Immediate). */
  queueImmediate(id: number): void {
    this.immediateQueue.push(id);
  }

  /**
   * clearImmediate() (lib/timers.js): `immediate._destroyed = true; ... immediateQueue.remove(immediate);`.
   * The list links live on the immediates themselves, so this unlinks one
   * from the check phase in progress too; processImmediate skips it.
   */
  clearImmediate(id: number): void {
    this.immediateQueue = this.immediateQueue.filter((queued) => queued !== id);
    this.outstanding = this.outstanding.filter((queued) => queued !== id);
  }

  /**
   * processImmediate(): `queue.head = queue.tail = null` as it begins, so it
   * runs the queue as it was then, and immediates queued meanwhile wait for
   * the next check phase. (If a phase was left unfinished, as after an
   * uncaught exception, Node's `outstandingQueue` runs its rest first and the
   * new queue waits; the model does the same.)
   */
  beginCheckPhase(): void {
    this.endCallback();
    if (this.outstanding.length > 0) return;
    this.outstanding = this.immediateQueue;
    this.immediateQueue = [];
  }

  /** The next immediate the check phase runs, or undefined when it is over. */
  nextImmediate(): number | undefined {
    return this.outstanding.shift();
  }

  /** Whether an immediate is waiting (so the loop does not sleep in poll). */
  immediatesPending(): boolean {
    return this.immediateQueue.length > 0 || this.outstanding.length > 0;
  }

  /**
   * The lists in queue order, each with its duration, expiry and timers
   * (id and `_idleStart`) oldest first: Node's `timerListQueue` and the
   * lists in it, for inspection (the conformance test compares them with
   * Node's own at every phase's end).
   */
  lists(): { msecs: number; expiry: number; timers: { id: number; start: number }[] }[] {
    return [...this.queue]
      .sort((a, b) => a.expiry - b.expiry || a.id - b.id)
      .map((list) => ({ msecs: list.msecs, expiry: list.expiry, timers: list.timers.map((timer) => ({ id: timer.id, start: timer.start })) }));
  }

  /** The immediates waiting, in the order they will run (the check phase's rest, then the queue). */
  immediates(): number[] {
    return [...this.outstanding, ...this.immediateQueue];
  }

  /** Whether timer `id` is in a list, waiting to fire. */
  isArmed(id: number): boolean {
    return this.timers.get(id)?.list !== undefined;
  }

  /**
   * lib/internal/timers.js insert(): `msecs = MathTrunc(msecs); item._idleStart = start;`, then the map's list for msecs,
   * or a new one `new TimersList(start + msecs, msecs)` queued; then `L.append(list, item)`, which first unlinks the item.
   */
  private insert(timer: Timer, duration: number, start: number): void {
    const msecs = Math.trunc(duration);
    timer.start = start;
    let list = this.listMap.get(msecs);
    if (list === undefined) {
      list = { msecs, expiry: start + msecs, id: this.nextListId++, timers: [] };
      this.listMap.set(msecs, list);
      this.queue.push(list);
    }
    this.unlink(timer);
    list.timers.push(timer);
    timer.list = list;
  }

  /**
   * lib/timers.js unenroll(): `if (item._destroyed) return; item._destroyed = true; L.remove(item);`, then, for a refed
   * timer, `const list = timerListMap[MathTrunc(item._idleTimeout)]; if (list !== undefined && L.isEmpty(list))` the list
   * leaves the queue and the map; `item._idleTimeout = -1`. The list's expiry is never recomputed: clearing a list's
   * first timer leaves it with that timer's expiry.
   */
  private unenroll(timer: Timer): void {
    if (timer.destroyed) return;
    timer.destroyed = true;
    this.unlink(timer);
    if (timer.refed) {
      const msecs = Math.trunc(timer.idleTimeout);
      const list = this.listMap.get(msecs);
      if (list !== undefined && list.timers.length === 0) {
        this.dequeue(list);
        this.listMap.delete(msecs);
      }
    }
    timer.idleTimeout = -1;
  }

  /** internal/linkedlist.js remove(). */
  private unlink(timer: Timer): void {
    const list = timer.list;
    if (list === undefined) return;
    list.timers.splice(list.timers.indexOf(timer), 1);
    timer.list = undefined;
  }

  /** timerListQueue.peek(), with compareTimersLists: by expiry, then by id (ids are unique, so the order is total). */
  private top(): TimerList | undefined {
    let best: TimerList | undefined;
    for (const list of this.queue) {
      if (best === undefined || list.expiry < best.expiry || (list.expiry === best.expiry && list.id < best.id)) best = list;
    }
    return best;
  }

  private dequeue(list: TimerList): void {
    const at = this.queue.indexOf(list);
    if (at >= 0) this.queue.splice(at, 1);
  }
}
