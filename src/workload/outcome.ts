import type { BufferModel } from '../check/bufferModel.ts';
import type { ThreadId } from '../runtime/virtual/host.ts';
import { describe } from '../trace/index.ts';

/**
 * An execution's outcome, as jcstress names one: a short text that says what
 * the threads made of the shared state (who took what, who was admitted, the
 * final counts). `outcome(state)` may return a string, which is taken as it
 * is, or a small value, which is described; so two executions have the same
 * outcome exactly when their texts are equal.
 */
export function outcomeText(value: unknown): string {
  return typeof value === 'string' ? value : describe(value);
}

/**
 * A buffer workload's default outcome: which consumer took which items, in
 * the order each took them. Items are named by who put them (`p0#2`: producer
 * 0's third item); an item no producer put is described as it is.
 */
export function bufferOutcome(model: BufferModel, consumers: readonly ThreadId[], threadName: (id: ThreadId) => string): string {
  const labels = new Map<unknown, string>();
  const putBy = new Map<ThreadId, number>();
  for (const op of model.ops) {
    if (op.op !== 'put') continue;
    const index = putBy.get(op.thread) ?? 0;
    putBy.set(op.thread, index + 1);
    labels.set(op.item, `p${op.thread}#${index}`);
  }
  const taken = new Map<ThreadId, string[]>(consumers.map((c) => [c, []]));
  const takes = model.ops.filter((op) => op.op === 'take' && op.respondedAt >= 0).sort((a, b) => a.respondedAt - b.respondedAt);
  for (const op of takes) taken.get(op.thread)?.push(labels.get(op.item) ?? describe(op.item));
  return consumers.map((c) => `${threadName(c)}: ${taken.get(c)!.join(',')}`).join(' · ');
}

/** What an outcome is expected to be, as jcstress grades them. */
export type OutcomeExpectation = 'acceptable' | 'interesting' | 'forbidden';

/** Which outcomes a class holds: the exact text, a pattern it matches, or a test. */
export type OutcomeMatch = string | RegExp | ((outcome: string) => boolean);

export interface OutcomeClass {
  readonly match: OutcomeMatch | readonly OutcomeMatch[];
  readonly description: string;
}

/**
 * A scenario's outcome classes, as jcstress declares them: acceptable
 * outcomes, interesting ones (allowed, but worth a look), forbidden ones (a
 * finding: `forbidden-outcome`). An outcome no class holds gets `otherwise`:
 * by default it is listed as unclassified; `'forbidden'` makes it a finding.
 */
export interface OutcomeClasses {
  readonly acceptable?: readonly OutcomeClass[] | undefined;
  readonly interesting?: readonly OutcomeClass[] | undefined;
  readonly forbidden?: readonly OutcomeClass[] | undefined;
  readonly otherwise?: OutcomeExpectation | 'unclassified' | undefined;
  /** The description of the catch-all. */
  readonly otherwiseDescription?: string | undefined;
}

export interface OutcomeGrade {
  readonly expectation: OutcomeExpectation | 'unclassified';
  readonly description: string;
}

function matches(match: OutcomeMatch, outcome: string): boolean {
  if (typeof match === 'string') return match === outcome;
  if (match instanceof RegExp) return new RegExp(match.source, match.flags.replace('g', '')).test(outcome);
  return match(outcome) === true;
}

/** The grade of an outcome: the first class that holds it, forbidden classes first, then interesting, then acceptable. */
export function gradeOutcome(classes: OutcomeClasses, outcome: string): OutcomeGrade {
  for (const expectation of ['forbidden', 'interesting', 'acceptable'] as const) {
    for (const c of classes[expectation] ?? []) {
      const list = Array.isArray(c.match) ? (c.match as readonly OutcomeMatch[]) : [c.match as OutcomeMatch];
      if (list.some((m) => matches(m, outcome))) return { expectation, description: c.description };
    }
  }
  return { expectation: classes.otherwise ?? 'unclassified', description: classes.otherwiseDescription ?? 'no class describes it' };
}

/** Problems in a spec's `outcomes`, each one sentence naming the field. */
export function outcomeClassProblems(classes: unknown, problems: string[]): void {
  if (classes === undefined) return;
  if (classes === null || typeof classes !== 'object') {
    problems.push(`'outcomes' must be an object of acceptable / interesting / forbidden classes; got ${describe(classes)}.`);
    return;
  }
  const c = classes as Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (!['acceptable', 'interesting', 'forbidden', 'otherwise', 'otherwiseDescription'].includes(key)) problems.push(`'outcomes' has an unknown field '${key}'.`);
  }
  for (const key of ['acceptable', 'interesting', 'forbidden'] as const) {
    const list = c[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      problems.push(`'outcomes.${key}' must be a list of { match, description }; got ${describe(list)}.`);
      continue;
    }
    list.forEach((entry: unknown, i) => {
      const e = entry as { match?: unknown; description?: unknown } | null;
      const ok = (m: unknown): boolean => typeof m === 'string' || m instanceof RegExp || typeof m === 'function';
      if (e === null || typeof e !== 'object' || !(Array.isArray(e.match) ? e.match.every(ok) : ok(e.match)) || typeof e.description !== 'string') {
        problems.push(`'outcomes.${key}[${i}]' must be { match: a string, a RegExp or a function (outcome) => boolean, description: a string }.`);
      }
    });
  }
  if (c.otherwise !== undefined && !['acceptable', 'interesting', 'forbidden', 'unclassified'].includes(c.otherwise as string)) {
    problems.push(`'outcomes.otherwise' must be 'acceptable', 'interesting', 'forbidden' or 'unclassified'; got ${describe(c.otherwise)}.`);
  }
}
