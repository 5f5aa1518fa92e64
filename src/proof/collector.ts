/**
 * Proof mode's footprint collector: what each step read and wrote, as
 * (object identity, key) locations. Process-global and dependency-free, so
 * that instrumented modules (through `globalThis[PROOF]`), the virtual
 * primitives and the buffer model can all report to it; off (one property
 * check per call) unless a proof exploration runs.
 *
 * Recording is cheap: an access appends the object and the key to a log.
 * The log is turned into a footprint (objects numbered, keys interned) only
 * when the proof strategy drains it at a decision. Objects are numbered in
 * the order their accesses are drained, from 0 at the start of every
 * execution: executions that share a prefix of decisions number the objects
 * that prefix touched alike, so a footprint taken in one execution can be
 * compared with one taken in another after the same prefix (sleep sets do).
 */
export const PROOF = Symbol.for('interleave.proof');

export const READ = 1;
export const WRITE = 2;

/** Keys are interned to small numbers; 0 is "every key of the object" (an array's push, a Map's set). */
export const ANY_KEY = 0;
const KEY_SPACE = 65536;

/** Pseudo-objects (negative, so never fresh): the clock, the monitored pseudo-location, the history, each thread. */
export const CLOCK = -1;
export const MONITORED = -2;
export const HISTORY = -3;
export const threadObject = (thread: number): number => -16 - thread;

export function location(object: number, key: number): number {
  return object * KEY_SPACE + key;
}
export function objectOf(loc: number): number {
  return Math.floor(loc / KEY_SPACE);
}
export function keyOf(loc: number): number {
  return loc - objectOf(loc) * KEY_SPACE;
}

/**
 * What one event (a step, or a turn of the event loop with its callbacks)
 * read and wrote. `opaque`: code the transform does not reach ran in it, so
 * it conflicts with every event that touches anything. `base`: the first
 * object number the event could have numbered itself; objects numbered from
 * there on were first touched by it (fresh), and another execution may have
 * numbered other objects alike, so against a footprint of another execution
 * they compare by key only (see `conflictAcross`).
 */
export class Footprint {
  opaque = false;
  readonly locs = new Map<number, number>();
  /** Per object, the union of the bits of its locations: for "every key" accesses. */
  readonly objects = new Map<number, number>();
  /** Mutexes taken by the continuations the event resumed, as they resumed (a joined one waiting for one of them cannot start). */
  acquired: number[] | undefined;

  constructor(readonly base: number) {}

  add(loc: number, bits: number): void {
    const had = this.locs.get(loc);
    if (had === undefined || (had | bits) !== had) this.locs.set(loc, (had ?? 0) | bits);
    const object = objectOf(loc);
    const all = this.objects.get(object);
    if (all === undefined || (all | bits) !== all) this.objects.set(object, (all ?? 0) | bits);
  }

  merge(other: Footprint): void {
    if (other.opaque) this.opaque = true;
    for (const [loc, bits] of other.locs) this.add(loc, bits);
    if (other.acquired !== undefined) for (const m of other.acquired) (this.acquired ??= []).push(m);
  }

  get empty(): boolean {
    return this.locs.size === 0 && !this.opaque;
  }

  writes(loc: number): boolean {
    return ((this.locs.get(loc) ?? 0) & WRITE) !== 0;
  }
}

/** Thread pseudo-objects (a thread's continuation numbering) are at or below this. */
const THREADS = -16;

/**
 * Whether two footprints of one execution conflict: a location both touch,
 * one of them writing. `dataOnly`: threads' pseudo-locations left out (they
 * order a thread's own steps, not what the steps share).
 */
export function conflict(a: Footprint, b: Footprint, dataOnly = false): boolean {
  if (a.opaque || b.opaque) return !a.empty && !b.empty;
  const [small, large] = a.locs.size <= b.locs.size ? [a, b] : [b, a];
  for (const [loc, bits] of small.locs) {
    const object = objectOf(loc);
    if (dataOnly && object <= THREADS) continue;
    const all = large.objects.get(object);
    if (all === undefined) continue;
    if (keyOf(loc) === ANY_KEY) {
      if (((bits | all) & WRITE) !== 0 && (bits & WRITE) !== 0) return true;
      if ((all & WRITE) !== 0) return true;
      continue;
    }
    const same = large.locs.get(loc);
    if (same !== undefined && ((bits | same) & WRITE) !== 0) return true;
    const every = large.locs.get(location(object, ANY_KEY));
    if (every !== undefined && ((bits | every) & WRITE) !== 0) return true;
  }
  return false;
}

/**
 * Whether `sleeping`, taken in another execution after the same prefix,
 * conflicts with `event` of this one. Objects both numbered before the
 * sleeping event's base are the same objects; objects it numbered itself
 * (fresh) may be any object this execution numbered from that base on, so
 * those compare by key alone: conservative, never missing a conflict.
 */
export function conflictAcross(sleeping: Footprint, event: Footprint, dataOnly = false): boolean {
  if (sleeping.opaque || event.opaque) return !sleeping.empty && !event.empty;
  const base = sleeping.base;
  let freshKeys: Map<number, number> | undefined;
  for (const [loc, bits] of sleeping.locs) {
    const object = objectOf(loc);
    if (dataOnly && object <= THREADS) continue;
    if (object >= base) {
      freshKeys ??= new Map();
      freshKeys.set(keyOf(loc), (freshKeys.get(keyOf(loc)) ?? 0) | bits);
      continue;
    }
    const all = event.objects.get(object);
    if (all === undefined) continue;
    if (keyOf(loc) === ANY_KEY) {
      if ((bits & WRITE) !== 0 || (all & WRITE) !== 0) return true;
      continue;
    }
    const same = event.locs.get(loc);
    if (same !== undefined && ((bits | same) & WRITE) !== 0) return true;
    const every = event.locs.get(location(object, ANY_KEY));
    if (every !== undefined && ((bits | every) & WRITE) !== 0) return true;
  }
  if (freshKeys === undefined) return false;
  for (const [loc, bits] of event.locs) {
    if (objectOf(loc) < base) continue;
    const key = keyOf(loc);
    for (const [k, b] of freshKeys) {
      if ((k === key || k === ANY_KEY || key === ANY_KEY) && ((b | bits) & WRITE) !== 0) return true;
    }
  }
  return false;
}

/** The thread of the calling code, by async context (the execution's host answers). */
export interface ThreadSource {
  currentThread(): number | undefined;
}

/** An operation's invocation waiting to be stamped at its first shared access (see BufferModel). */
interface PendingInvocation {
  readonly thread: number;
  readonly stamp: () => void;
}

export class Collector {
  /** Recording at all (a proof exploration runs). */
  on = false;
  /** A monitor is running: its reads are what the monitored set holds, not the step's. */
  monitoring = false;

  private objs: unknown[] = [];
  private keys: unknown[] = [];
  private bits: number[] = [];
  private n = 0;
  private opaqueSeen = false;
  private opaqueWhy: string | undefined;
  private acquiredLog: unknown[] = [];

  private ids = new WeakMap<object, number>();
  private nextId = 0;
  private readonly keyIds = new Map<unknown, number>([[undefined, ANY_KEY]]);

  /** Locations monitors read between steps, this execution. */
  readonly monitored = new Set<number>();
  readonly monitoredObjects = new Set<number>();

  private host: ThreadSource | undefined;
  private pending: PendingInvocation[] = [];

  /** Why steps were opaque, over the exploration, most recent first (for the result's wording). */
  readonly opaqueReasons = new Set<string>();

  /** A new execution: fresh numbering, nothing pending. Called from its setup. */
  beginExecution(host: ThreadSource): void {
    this.n = 0;
    this.objs.length = 0;
    this.keys.length = 0;
    this.bits.length = 0;
    this.opaqueSeen = false;
    this.acquiredLog.length = 0;
    this.ids = new WeakMap();
    this.nextId = 0;
    this.monitored.clear();
    this.monitoredObjects.clear();
    this.host = host;
    this.pending = [];
    this.monitoring = false;
  }

  /** The next object number: a footprint's base. */
  get idCounter(): number {
    return this.nextId;
  }

  // ---- recording (hot) ----------------------------------------------------

  read(object: unknown, key: unknown): void {
    if (this.monitoring) return this.monitorRead(object, key);
    const i = this.n++;
    this.objs[i] = object;
    this.keys[i] = key;
    this.bits[i] = READ;
    if (this.pending.length > 0) this.sharedAccess();
  }

  write(object: unknown, key: unknown): void {
    if (this.monitoring) return;
    const i = this.n++;
    this.objs[i] = object;
    this.keys[i] = key;
    this.bits[i] = WRITE;
    if (this.pending.length > 0) this.sharedAccess();
  }

  /** A pseudo-location (CLOCK, HISTORY, a thread's...), by number. */
  pseudo(object: number, key: string, bits: number): void {
    if (this.monitoring) return;
    const i = this.n++;
    this.objs[i] = object;
    this.keys[i] = key;
    this.bits[i] = bits;
    if (this.pending.length > 0 && object !== threadObject(this.host?.currentThread() ?? -1)) this.sharedAccess();
  }

  /** A continuation of `thread` was made: private to that thread (its continuations' numbering). */
  created(thread: number | undefined): void {
    if (thread === undefined || this.monitoring) return;
    const i = this.n++;
    this.objs[i] = threadObject(thread);
    this.keys[i] = 'created';
    this.bits[i] = WRITE;
  }

  /** A resumed continuation took `mutex` as it resumed. */
  acquired(mutex: object): void {
    this.acquiredLog.push(mutex);
  }

  /** Code the transform does not reach ran: the step conflicts with everything. */
  opaque(why: string): void {
    if (this.monitoring) return;
    this.opaqueSeen = true;
    this.opaqueWhy = why;
  }

  // ---- folded invocations ---------------------------------------------------

  /** Stamp `stamp` at `thread`'s next shared access (or when its operation responds, whichever is first). */
  defer(thread: number, stamp: () => void): void {
    this.pending.push({ thread, stamp });
  }

  /** The operation responds: its invocation, if still unstamped, is stamped now. */
  flushInvocation(thread: number): void {
    const i = this.pending.findIndex((p) => p.thread === thread);
    if (i < 0) return;
    const [p] = this.pending.splice(i, 1);
    p!.stamp();
  }

  private sharedAccess(): void {
    const thread = this.host?.currentThread();
    if (thread === undefined) return;
    for (let i = 0; i < this.pending.length; i++) {
      if (this.pending[i]!.thread !== thread) continue;
      const [p] = this.pending.splice(i, 1);
      p!.stamp();
      return;
    }
  }

  // ---- draining -------------------------------------------------------------

  id(object: object): number {
    let id = this.ids.get(object);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(object, id);
    }
    return id;
  }

  /** A thread's pseudo-location: its continuations' numbering. */
  threadLocation(thread: number): number {
    return location(threadObject(thread), this.keyId('created'));
  }

  /**
   * Numbers every object reachable from `roots` now, breadth first, not
   * looking inside `leaves`: what setup made gets the same number in every
   * execution, whichever step touches it first.
   */
  numberReachable(roots: readonly unknown[], leaves: ReadonlySet<unknown>, limit = 500): void {
    const queue: unknown[] = [...roots];
    const seen = new Set<unknown>();
    for (let i = 0; i < queue.length && seen.size < limit; i++) {
      const o = queue[i];
      if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o)) continue;
      seen.add(o);
      this.id(o as object);
      // Functions, and harness objects (they report their own locations on themselves; their fields lead into the engine).
      if (typeof o === 'function' || leaves.has(o)) continue;
      if (o instanceof Map) for (const [k, v] of o) queue.push(k, v);
      else if (o instanceof Set) for (const v of o) queue.push(v);
      for (const key of Object.keys(o)) {
        try {
          queue.push((o as Record<string, unknown>)[key]);
        } catch {
          // a getter that throws: skip it
        }
      }
    }
  }

  private keyId(key: unknown): number {
    let id = this.keyIds.get(key);
    if (id === undefined) {
      id = this.keyIds.size;
      this.keyIds.set(key, id);
    }
    return id;
  }

  private locOf(object: unknown, key: unknown): number | undefined {
    if (typeof object === 'number') return location(object, this.keyId(key));
    if ((typeof object !== 'object' || object === null) && typeof object !== 'function') return undefined;
    return location(this.id(object), this.keyId(key));
  }

  /** Everything recorded since the last drain, into `into`. */
  drainInto(into: Footprint): void {
    for (let i = 0; i < this.n; i++) {
      const loc = this.locOf(this.objs[i], this.keys[i]);
      if (loc !== undefined) into.add(loc, this.bits[i]!);
      this.objs[i] = undefined;
    }
    this.n = 0;
    if (this.opaqueSeen) {
      into.opaque = true;
      if (this.opaqueWhy !== undefined) this.opaqueReasons.add(this.opaqueWhy);
      this.opaqueSeen = false;
    }
    if (this.acquiredLog.length > 0) {
      for (const m of this.acquiredLog) (into.acquired ??= []).push(this.id(m as object));
      this.acquiredLog.length = 0;
    }
  }

  /** Drops what was recorded since the last drain (setup's accesses, or what runs once an execution has ended). */
  discard(): void {
    for (let i = 0; i < this.n; i++) this.objs[i] = undefined;
    this.n = 0;
    this.opaqueSeen = false;
    this.acquiredLog.length = 0;
  }

  private monitorRead(object: unknown, key: unknown): void {
    const loc = this.locOf(object, key);
    if (loc === undefined) return;
    this.monitored.add(loc);
    if (keyOf(loc) === ANY_KEY) this.monitoredObjects.add(objectOf(loc));
  }

  /** Does the footprint write a location a monitor reads? Then it writes the monitored pseudo-location too. */
  foldMonitored(fp: Footprint): void {
    if (this.monitored.size === 0) return;
    for (const [loc, bits] of fp.locs) {
      if ((bits & WRITE) === 0) continue;
      const object = objectOf(loc);
      if (this.monitored.has(loc) || this.monitoredObjects.has(object) || (keyOf(loc) === ANY_KEY && this.monitoredHas(object))) {
        fp.add(location(MONITORED, ANY_KEY), WRITE);
        return;
      }
      if (this.monitored.has(location(object, ANY_KEY))) {
        fp.add(location(MONITORED, ANY_KEY), WRITE);
        return;
      }
    }
  }

  private monitoredHas(object: number): boolean {
    for (const loc of this.monitored) if (objectOf(loc) === object) return true;
    return false;
  }
}

/** The one collector of the process. */
export const collector: Collector = ((globalThis as Record<symbol, unknown>)[Symbol.for('interleave.proof.collector')] ??= new Collector()) as Collector;
