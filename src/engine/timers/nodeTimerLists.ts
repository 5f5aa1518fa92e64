/**
 * Timeouts, intervals and sleeps kept the way Node keeps them
 * (lib/internal/timers.js), so that a timers phase fires them in Node's own
 * order. That order is not "by deadline": timers sit in one list per
 * duration, in insertion order; the lists sit in a priority queue by
 * (expiry, id), where a list's expiry is its first timer's deadline when the
 * list was made or last looked at, and its id is renewed each time it is
 * looked at. A timers phase at `now` takes the top list while its expiry is
 * due and fires every due timer of it, in order, before the next list. So
 * `setTimeout(A, 100)` and `setTimeout(B, 150)` at 0, then `setTimeout(C,
 * 100)` at 60, fire A C B once the loop wakes at 300 (C, due at 160, rides in
 * A's list, whose expiry of 100 comes first). Measured on Node 20 and 24.
 *
 * Only the order lives here; what a timer does and when time moves belong to
 * the clock and the engine.
 */

/** What the lists need of a timer; the clock's VirtualTimer carries these fields. */
export interface ListedTimer {
  /** The duration Node files it under: the coerced delay, truncated. */
  readonly msecs: number;
  /** Node's `_idleStart`: the loop's time when it was (re)inserted. */
  start: number;
  readonly repeat: boolean;
  /** Node deletes a list emptied by clearing only when the timer cleared was ref'd (unenroll). */
  readonly refed: boolean;
  /** The list it is in; undefined when it is not armed. */
  list: TimerList | undefined;
  prev: ListedTimer | undefined;
  next: ListedTimer | undefined;
}

/** One duration's timers, oldest first (Node's TimersList). */
export class TimerList {
  first: ListedTimer | undefined;
  last: ListedTimer | undefined;
  /** Its place in the queue's array, kept by the queue. */
  position = -1;

  constructor(
    readonly msecs: number,
    public expiry: number,
    public id: number,
  ) {}
}

/** Node's compareTimersLists: by expiry, then by id. */
function before(a: TimerList, b: TimerList): boolean {
  return a.expiry < b.expiry || (a.expiry === b.expiry && a.id < b.id);
}

export class NodeTimerLists {
  private readonly byMsecs = new Map<number, TimerList>();
  /** A binary heap of lists, as Node's PriorityQueue. */
  private readonly heap: TimerList[] = [];
  private nextListId = 0;
  /** The timers phase in progress: its `now`, and the list it is walking (Node's listOnTimeout). */
  private phaseNow = Number.NaN;
  private walking: TimerList | undefined;
  /** Armed timers, and those of them that are not intervals (what keeps an execution's drain going). */
  private armedCount = 0;
  private armedOnce = 0;

  get size(): number {
    return this.armedCount;
  }

  /** Armed timers other than intervals. */
  get sizeOnce(): number {
    return this.armedOnce;
  }

  clear(): void {
    this.byMsecs.clear();
    this.heap.length = 0;
    this.nextListId = 0;
    this.phaseNow = Number.NaN;
    this.walking = undefined;
    this.armedCount = 0;
    this.armedOnce = 0;
  }

  /** Node's insert(): appends the timer to its duration's list, making the list (with a fresh id) when there is none. */
  insert(timer: ListedTimer, start: number): void {
    if (timer.list !== undefined) this.unlink(timer);
    timer.start = start;
    let list = this.byMsecs.get(timer.msecs);
    if (list === undefined) {
      list = new TimerList(timer.msecs, start + timer.msecs, this.nextListId++);
      this.byMsecs.set(timer.msecs, list);
      this.push(list);
    }
    timer.list = list;
    timer.prev = list.last;
    timer.next = undefined;
    if (list.last === undefined) list.first = timer;
    else list.last.next = timer;
    list.last = timer;
    this.armedCount++;
    if (!timer.repeat) this.armedOnce++;
  }

  /**
   * Node's unenroll(), for clearTimeout: the timer leaves its list, and a list
   * left empty leaves the queue — only when the timer was ref'd ("unrefed
   * [lists] are incredibly likely to come from http and be recreated").
   */
  remove(timer: ListedTimer): void {
    const list = timer.list;
    if (list === undefined) return;
    this.unlink(timer);
    if (timer.refed && list.first === undefined && this.byMsecs.get(list.msecs) === list) {
      this.byMsecs.delete(list.msecs);
      this.removeAt(list.position);
    }
  }

  /** `timeout.refresh()`: to the end of its list, starting again at `now`. */
  refresh(timer: ListedTimer, now: number): void {
    this.insert(timer, now);
  }

  /** The instant a punctual loop next runs a timers phase: the top list's expiry (which may be stale: its first timer was cleared). */
  nextWake(): number | undefined {
    return this.heap[0]?.expiry;
  }

  /** Is some armed timer due at `now`? */
  hasDue(now: number): boolean {
    for (const list of this.heap) if (list.first !== undefined && list.first.start + list.msecs <= now) return true;
    return false;
  }

  /**
   * The next `count` distinct instants after `now` and no later than `limit`
   * at which a timers phase would do something: the queue's top expiry (a
   * punctual wake, even a stale one) and every armed timer's deadline
   * (intervals only when asked), ascending. Moving time to one of them is
   * how late the event loop wakes.
   */
  wakeInstants(now: number, limit: number, count: number, includeIntervals: boolean): number[] {
    const found = new Set<number>();
    let eligible = false;
    for (const list of this.heap) {
      let taken = 0;
      for (let t = list.first; t !== undefined && taken < count; t = t.next) {
        if (!includeIntervals && t.repeat) continue;
        eligible = true;
        const at = t.start + list.msecs;
        if (at > now && at <= limit && !found.has(at)) {
          found.add(at);
          taken++;
        }
      }
    }
    const top = this.heap[0]?.expiry;
    if (eligible && top !== undefined && top > now && top <= limit) found.add(top);
    return [...found].sort((a, b) => a - b).slice(0, count);
  }

  /** Begins a timers phase at `now` (Node's processTimers(now)). */
  beginPhase(now: number): void {
    this.phaseNow = now;
    this.walking = undefined;
  }

  /**
   * The next timer the phase fires, taken out of its list; undefined once
   * the phase is over. Between two calls the caller runs the timer's
   * callback (and drains microtasks), which may arm and clear timers: the
   * walk reads the lists afresh each time, as Node's does.
   */
  nextDue(): ListedTimer | undefined {
    const now = this.phaseNow;
    for (;;) {
      let list = this.walking;
      if (list === undefined) {
        list = this.heap[0];
        if (list === undefined || list.expiry > now) return this.endPhase();
        this.walking = list;
      }
      const timer = list.first;
      if (timer === undefined) {
        // Every timer of the list has run (Node: only if it is still the map's list for its duration).
        if (this.byMsecs.get(list.msecs) === list) {
          this.byMsecs.delete(list.msecs);
          if (list.position >= 0) this.removeAt(list.position);
        }
        this.walking = undefined;
        continue;
      }
      if (now - timer.start < list.msecs) {
        // Too early for the rest of this list: it waits for its first timer's deadline, with a fresh id.
        list.expiry = Math.max(timer.start + list.msecs, now + 1);
        list.id = this.nextListId++;
        this.sift(list.position);
        this.walking = undefined;
        continue;
      }
      this.unlink(timer);
      return timer;
    }
  }

  /** An interval that has just run goes back to the end of its list, from the phase's `now` (Node takes it before the callback). */
  rearm(timer: ListedTimer): void {
    this.insert(timer, this.phaseNow);
  }

  private endPhase(): undefined {
    this.walking = undefined;
    return undefined;
  }

  private unlink(timer: ListedTimer): void {
    const list = timer.list!;
    if (timer.prev === undefined) list.first = timer.next;
    else timer.prev.next = timer.next;
    if (timer.next === undefined) list.last = timer.prev;
    else timer.next.prev = timer.prev;
    timer.list = undefined;
    timer.prev = undefined;
    timer.next = undefined;
    this.armedCount--;
    if (!timer.repeat) this.armedOnce--;
  }

  // ---- the priority queue ---------------------------------------------------

  private push(list: TimerList): void {
    list.position = this.heap.length;
    this.heap.push(list);
    this.up(list.position);
  }

  private removeAt(position: number): void {
    const gone = this.heap[position]!;
    const last = this.heap.pop()!;
    gone.position = -1;
    if (last === gone) return;
    this.heap[position] = last;
    last.position = position;
    this.sift(position);
  }

  /** Restores the heap's order around `position`, up or down. */
  private sift(position: number): void {
    const item = this.heap[position]!;
    this.up(position);
    this.down(item.position);
  }

  private up(position: number): void {
    const heap = this.heap;
    let i = position;
    const item = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      heap[i]!.position = i;
      i = parent;
    }
    heap[i] = item;
    item.position = i;
  }

  private down(position: number): void {
    const heap = this.heap;
    const n = heap.length;
    let i = position;
    const item = heap[i];
    if (item === undefined) return;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, item)) break;
      heap[i] = heap[child]!;
      heap[i]!.position = i;
      i = child;
    }
    heap[i] = item;
    item.position = i;
  }
}
