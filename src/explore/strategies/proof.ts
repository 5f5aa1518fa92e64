import { JOIN_STOP, type Chooser, type Decision } from '../../engine/chooser.ts';
import { isLoopId, LOOP_EARLY } from '../../engine/ids.ts';
import { collector, conflict, conflictAcross, CLOCK, ANY_KEY, Footprint, location, READ, WRITE } from '../../proof/collector.ts';
import { listeners, type ProofPlanState, type StepListener } from '../../proof/plan.ts';
import type { Strategy } from './strategy.ts';

/**
 * Proof mode: every schedule, each partial order of the steps once.
 * Source-DPOR with sleep sets (Abdulla, Aronis, Jonsson and Sagonas,
 * JACM 2017, Algorithm 1), unbounded, over the footprints of executed steps
 * (src/proof/collector.ts): a step that touched nothing another step
 * touched, one of them writing, commutes with it, and only orders of
 * conflicting steps are tried both ways.
 *
 * What a "process" is here: a ready continuation (its id: each runs once,
 * and ids are the same in every run of the same prefix), the event loop's
 * turn ('L', with its callbacks and its time decision), or a same-macrotask
 * start of several continuations ('12+14': the step starts 12 and joins 14
 * at offset 0).
 *
 * The dependency rules, beyond shared locations:
 * - a continuation's step writes its thread's pseudo-location, as does every
 *   step that makes a continuation of that thread: a thread's steps stay in
 *   order, and continuation numbers stay what they were;
 * - a loop turn writes the clock, which timer creation writes and time
 *   reads read: turns stay ordered with what arms timers or reads the time;
 * - notify and time decisions inside a step are explored exhaustively: each
 *   choice is its own subtree;
 * - a same-macrotask start of c after the step of p is tried where p's step
 *   and c's step conflict (c ready when p ran): if they do not, the joined
 *   run interleaves, microtask by microtask, code that touches disjoint
 *   locations, which is the sequential run; where p took a mutex c needs as
 *   it resumes, c cannot start in the join and it is not tried. Offsets
 *   other than 0 are not tried (as dfs does not);
 * - a step that writes a location a between-steps monitor read (capacity,
 *   invariant) writes one monitored pseudo-location too, so the states those
 *   monitors see come in the same order in every run of a partial order;
 * - an opaque step (code the transform does not reach) conflicts with every
 *   step.
 */
type Key = string;
const LOOP = 'L';

interface StepNode {
  readonly kind: 'step';
  readonly candidates: readonly number[];
  readonly loop: number | undefined;
  readonly backtrack: Key[];
  readonly done: Set<Key>;
  readonly sleep: Map<Key, Footprint>;
  readonly unions: Map<Key, Footprint>;
  readonly last: number | undefined;
  key: Key;
  blocked: boolean;
  fp: Footprint | undefined;
  vc: Uint32Array | undefined;
}

interface ChoiceNode {
  readonly kind: 'choice';
  readonly options: readonly number[];
  index: number;
}

interface ForcedNode {
  readonly kind: 'forced';
}

type PathNode = StepNode | ChoiceNode | ForcedNode;

export interface ProofStats {
  /** Executions run to their end that no sleep set cut short: one per partial order. */
  partialOrders: number;
  /** Executions that ended in a sleep-blocked state (redundant, run out anyway). */
  blocked: number;
  /** Steps (events) that were opaque, over the exploration. */
  opaqueSteps: number;
  /** Some execution went past maxSteps: the search did not see its whole tree. */
  incomplete: boolean;
  /** The search ran out of schedules to try. */
  exhausted: boolean;
}

/** The stats of the proof exploration running (or last run) in this process: explorations here never overlap. */
export const lastProof: { stats: ProofStats | undefined } = { stats: undefined };

/** A key's components, parsed once per key (keys recur in every execution). */
const parsed = new Map<Key, readonly string[]>();
function comps(key: Key): readonly string[] {
  let parts = parsed.get(key);
  if (parts === undefined) {
    parts = key.split('+');
    parsed.set(key, parts);
  }
  return parts;
}

function threadOf(id: number, threads: number): number {
  return (id / 2) % threads;
}

export class ProofStrategy implements Strategy {
  readonly name = 'proof' as const;
  readonly path: PathNode[] = [];
  private started = false;
  firstChanged = 0;
  readonly stats: ProofStats = { partialOrders: 0, blocked: 0, opaqueSteps: 0, incomplete: false, exhausted: false };
  current: ProofExecution | undefined;

  constructor(
    private readonly maxSteps = Infinity,
    readonly planState: ProofPlanState = { allOpaque: undefined },
  ) {
    lastProof.stats = this.stats;
  }

  nextExecution(): Chooser | undefined {
    if (this.started && !this.backtrack()) {
      this.stats.exhausted = true;
      listeners.current = undefined;
      return undefined;
    }
    this.started = true;
    collector.on = true;
    const execution = new ProofExecution(this);
    this.current = execution;
    listeners.current = execution;
    return execution;
  }

  executionEnded(steps: number): void {
    if (steps >= this.maxSteps) this.stats.incomplete = true;
    const execution = this.current;
    if (execution === undefined) return;
    collector.discard();
    execution.finishEvent();
    if (execution.blocked) this.stats.blocked++;
    else this.stats.partialOrders++;
    this.current = undefined;
  }

  /** Ends the exploration's recording (it may stop before the search is exhausted: a failure found, a budget). */
  close(): void {
    collector.on = false;
    listeners.current = undefined;
  }

  private backtrack(): boolean {
    for (let i = this.path.length - 1; i >= 0; i--) {
      const node = this.path[i]!;
      if (node.kind === 'forced') continue;
      if (node.kind === 'choice') {
        if (node.index + 1 < node.options.length) {
          node.index++;
          this.path.length = i + 1;
          this.firstChanged = i;
          return true;
        }
        continue;
      }
      node.done.add(node.key);
      node.sleep.set(node.key, node.unions.get(node.key) ?? node.fp ?? new Footprint(0));
      const next = node.backtrack.find((k) => !node.done.has(k) && !node.sleep.has(k) && enabled(node, k));
      if (next !== undefined) {
        node.key = next;
        node.blocked = false;
        this.path.length = i + 1;
        this.firstChanged = i;
        return true;
      }
    }
    return false;
  }
}

function enabled(node: StepNode, key: Key): boolean {
  for (const c of comps(key)) {
    if (c === LOOP) {
      if (node.loop === undefined) return false;
    } else if (!node.candidates.includes(Number(c))) return false;
  }
  return true;
}

class ProofExecution implements Chooser, StepListener {
  /** Every step is an event, forced ones too: their footprints are their own. */
  readonly seesForced = true;
  private d = 0;
  private readonly events: StepNode[] = [];
  /** Where the current event's node sits on the path. */
  private eventStart = -1;
  private pending: Footprint | undefined;
  private joinQueue: number[] = [];
  blocked = false;
  private threads = 1;

  constructor(private readonly search: ProofStrategy) {}

  settled(): void {
    if (this.pending !== undefined) collector.drainInto(this.pending);
  }

  choose(decision: Decision): number {
    this.threads = decision.threads;
    if (decision.kind === 'step') return this.step(decision);
    if (this.pending !== undefined) collector.drainInto(this.pending);
    else collector.discard();
    const path = this.search.path;
    const at = this.d++;
    if (decision.kind === 'join' || decision.kind === 'offset') {
      if (path[at] === undefined) path[at] = { kind: 'forced' };
      if (decision.kind === 'offset') return decision.candidates.includes(0) ? 0 : decision.candidates[0]!;
      const next = this.joinQueue[0];
      if (next !== undefined && decision.candidates.includes(next)) {
        this.joinQueue.shift();
        this.pending?.add(collector.threadLocation(threadOf(next, this.threads)), WRITE);
        return next;
      }
      this.joinQueue = [];
      return JOIN_STOP;
    }
    let node = path[at] as ChoiceNode | undefined;
    if (node === undefined || node.kind !== 'choice') {
      node = { kind: 'choice', options: this.blocked ? [decision.candidates[0]!] : [...decision.candidates], index: 0 };
      path[at] = node;
    }
    return node.options[node.index]!;
  }

  private step(decision: Decision): number {
    if (this.pending !== undefined) collector.drainInto(this.pending);
    else collector.discard();
    this.finishEvent();
    const path = this.search.path;
    const at = this.d++;
    let node = path[at] as StepNode | undefined;
    if (node === undefined || node.kind !== 'step') {
      node = this.open(decision);
      path[at] = node;
    }
    this.eventStart = at;
    this.events.push(node);
    if (node.blocked) this.blocked = true;
    this.pending = new Footprint(collector.idCounter);
    const parts = comps(node.key);
    this.joinQueue = parts.slice(1).map(Number);
    const first = parts[0]!;
    if (first === LOOP) {
      this.pending.add(location(CLOCK, ANY_KEY), WRITE);
      return node.loop!;
    }
    const id = Number(first);
    this.pending.add(collector.threadLocation(threadOf(id, this.threads)), WRITE);
    return id;
  }

  private open(decision: Decision): StepNode {
    const candidates: number[] = [];
    let loop: number | undefined;
    for (const c of decision.candidates) {
      if (isLoopId(c)) loop = c;
      else candidates.push(c);
    }
    const parent = this.events[this.events.length - 1];
    const sleep = new Map<Key, Footprint>();
    if (parent !== undefined && parent.fp !== undefined) {
      for (const [q, f] of parent.sleep) if (!conflictAcross(f, parent.fp)) sleep.set(q, f);
    }
    const keys: Key[] = [];
    // The task that ran last first (fewer switches), then the others in order, the loop last.
    const last = decision.yielding ? undefined : decision.last;
    for (let i = 0; i < candidates.length; i++) if (decision.tasks[decision.candidates.indexOf(candidates[i]!)] === last) keys.push(String(candidates[i]));
    for (const c of candidates) if (!keys.includes(String(c))) keys.push(String(c));
    if (loop !== undefined && (loop !== LOOP_EARLY || keys.length === 0)) keys.push(LOOP);
    else if (loop !== undefined) keys.push(LOOP);
    const awake = keys.find((k) => !sleep.has(k));
    const node: StepNode = {
      kind: 'step',
      candidates,
      loop,
      backtrack: [awake ?? keys[0]!],
      done: new Set(),
      sleep,
      unions: new Map(),
      last,
      key: awake ?? keys[0]!,
      blocked: awake === undefined,
      fp: undefined,
      vc: undefined,
    };
    return node;
  }

  /** The event of the last step decision is complete: keep its footprint and look for races with the events before it. */
  finishEvent(): void {
    const node = this.events[this.events.length - 1];
    const fp = this.pending;
    if (node === undefined || fp === undefined) return;
    this.pending = undefined;
    collector.foldMonitored(fp);
    if (this.search.planState.allOpaque !== undefined) fp.opaque = true;
    if (fp.opaque) this.search.stats.opaqueSteps++;
    const unchanged = this.d <= this.search.firstChanged && node.fp !== undefined;
    node.fp = fp;
    const union = node.unions.get(node.key);
    if (union === undefined) {
      const u = new Footprint(fp.base);
      u.merge(fp);
      node.unions.set(node.key, u);
    } else union.merge(fp);
    const j = this.events.length - 1;
    if (unchanged && node.vc !== undefined) return;
    this.analyse(j);
  }

  private analyse(j: number): void {
    const events = this.events;
    const e = events[j]!;
    const words = (j >> 5) + 1;
    const vc = new Uint32Array(words);
    const deps: number[] = [];
    for (let i = 0; i < j; i++) {
      const f = events[i]!;
      if (conflict(f.fp!, e.fp!)) {
        deps.push(i);
        const fvc = f.vc!;
        for (let w = 0; w < fvc.length; w++) vc[w]! |= fvc[w]!;
        vc[i >> 5]! |= 1 << (i & 31);
      }
    }
    e.vc = vc;
    if (this.blocked) return;
    const before = (i: number, k: number): boolean => (events[k]!.vc![i >> 5]! & (1 << (i & 31))) !== 0;
    for (const i of deps) {
      const ei = events[i]!;
      // Not a race where j could not have run first: i made j's continuation (program order, a thread's next point), or both are loop turns.
      if (this.enables(i, e.key)) continue;
      if (deps.some((k) => k !== i && before(i, k))) continue;
      // v: the events after i not after it in happens-before, then j; its initials are those with nothing of v before them.
      const v: number[] = [];
      for (let k = i + 1; k < j; k++) if (!before(i, k)) v.push(k);
      v.push(j);
      const initials: Key[] = [];
      for (let x = 0; x < v.length; x++) {
        const k = v[x]!;
        let first = true;
        for (let y = 0; y < x && first; y++) if (before(v[y]!, k)) first = false;
        if (first) initials.push(events[k]!.key);
      }
      const usable = initials.filter((k) => enabled(ei, k));
      if (usable.length === 0 || usable.some((k) => ei.backtrack.includes(k))) continue;
      const add = usable.find((k) => !ei.sleep.has(k)) ?? usable[0]!;
      ei.backtrack.push(add);
    }
    this.joinRaces(j);
  }

  /** Whether the event at i made a continuation of `key` ready (it was not before, and is after), or both are turns of the event loop. */
  private enables(i: number, key: Key): boolean {
    const ei = this.events[i]!;
    const next = this.events[i + 1];
    for (const c of comps(key)) {
      if (c === LOOP) {
        if (comps(ei.key)[0] === LOOP) return true;
        continue;
      }
      const id = Number(c);
      if (!ei.candidates.includes(id) && next !== undefined && next.candidates.includes(id)) return true;
    }
    return false;
  }

  /** Same-macrotask starts worth trying: c joins the step at i when c was ready there and the steps of both conflict. */
  private joinRaces(j: number): void {
    const events = this.events;
    const e = events[j]!;
    const joinable = comps(e.key).filter((c) => c !== LOOP);
    if (joinable.length === 0) return;
    for (let i = 0; i < j; i++) {
      const ei = events[i]!;
      const mine = comps(ei.key);
      if (mine[0] === LOOP) continue;
      for (const c of joinable) {
        if (!ei.candidates.includes(Number(c)) || mine.includes(c)) continue;
        if (conflict(ei.fp!, e.fp!, true) && !sharesAcquire(ei.fp!, e.fp!)) addKey(ei, `${ei.key}+${c}`);
        for (const [p, f] of ei.sleep) {
          const theirs = comps(p);
          if (theirs[0] === LOOP || theirs.includes(c)) continue;
          if (conflictAcross(f, e.fp!, true) && !sharesAcquire(f, e.fp!)) addKey(ei, `${p}+${c}`);
        }
      }
    }
  }
}

function addKey(node: StepNode, key: Key): void {
  if (node.backtrack.includes(key) || node.sleep.has(key) || !enabled(node, key)) return;
  node.backtrack.push(key);
}

/** Both took the same mutex as they resumed: the second cannot start in the first's macrotask. */
function sharesAcquire(a: Footprint, b: Footprint): boolean {
  if (a.acquired === undefined || b.acquired === undefined) return false;
  return a.acquired.some((m) => b.acquired!.includes(m));
}

void READ;
