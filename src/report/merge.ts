import { meets } from '../workload/expectation.ts';
import { joinOutcomes } from './outcomes.ts';
import { runSummary, type RunSummary, type ScenarioSummary } from './summary.ts';

/** Summaries that do not fit together (shards of different runs, a shard missing or given twice); the message says which. */
export class MergeError extends Error {
  override name = 'MergeError';
}

/** A shard's summary.json, and where it was read from. */
export interface ShardSummary {
  readonly path: string;
  readonly run: RunSummary;
}

/** A scenario of the joined run, and the shard whose entry holds its failure (whose report folder has its reports). */
export interface MergedScenario {
  readonly summary: ScenarioSummary;
  readonly from: ShardSummary;
}

/**
 * Joins the summaries of a sharded run (`--shard i/n`) into the summary the
 * whole run would have written. A scenario explored by one shard is taken as
 * it is. A scenario whose parts were spread over several shards (its seed
 * space) is joined as the worker threads of one run are: the failure of the
 * lowest part that failed wins (or, without one, the first shard that tried
 * every schedule), and the executions of the parts up to it count.
 * Every shard of 1..n must be there exactly once, all of one seed.
 */
export function mergeSummaries(shards: readonly ShardSummary[]): { readonly run: RunSummary; readonly scenarios: readonly MergedScenario[] } {
  if (shards.length === 0) throw new MergeError('there is no summary to merge.');
  const ordered = checkShards(shards);
  const groups = new Map<string, { summary: ScenarioSummary; from: ShardSummary }[]>();
  for (const shard of ordered) {
    for (const summary of shard.run.scenarios) {
      const key = `${summary.file ?? ''}\u0000${summary.scenario}`;
      const group = groups.get(key) ?? [];
      group.push({ summary, from: shard });
      groups.set(key, group);
    }
  }
  const scenarios = [...groups.values()].map((group) => (group.length === 1 ? group[0]! : joinParts(group)));
  const seeds = new Set(ordered.map((s) => s.run.seed));
  const workers = new Set(ordered.map((s) => s.run.workers));
  const interrupted = ordered.some((s) => s.run.interrupted === true);
  const run = runSummary(
    scenarios.map((s) => s.summary),
    {
      ...(seeds.size === 1 && ordered[0]!.run.seed !== undefined ? { seed: ordered[0]!.run.seed } : {}),
      ...(workers.size === 1 && ordered[0]!.run.workers !== undefined ? { workers: ordered[0]!.run.workers } : {}),
      merged: ordered.length,
      elapsedMs: Math.max(...ordered.map((s) => s.run.elapsedMs ?? 0)),
      ...(interrupted ? { interrupted: true, notExplored: ordered.flatMap((s) => s.run.notExplored ?? []) } : {}),
    },
  );
  return { run, scenarios };
}

/** The shards in order, after checking they are the whole of one run: all or none sharded, one count, one seed, each index once. */
function checkShards(shards: readonly ShardSummary[]): ShardSummary[] {
  const sharded = shards.filter((s) => s.run.shard !== undefined);
  if (sharded.length === 0) return [...shards];
  if (sharded.length !== shards.length) {
    const plain = shards.find((s) => s.run.shard === undefined)!;
    throw new MergeError(`'${plain.path}' is the summary of a whole run, not of a shard (--shard i/n); merge the shards of one run only.`);
  }
  const count = sharded[0]!.run.shard!.count;
  const seed = sharded[0]!.run.seed;
  const byIndex = new Map<number, ShardSummary>();
  for (const s of sharded) {
    const { index, count: n } = s.run.shard!;
    if (n !== count) throw new MergeError(`'${s.path}' is shard ${index}/${n}, but '${sharded[0]!.path}' is of ${count} shards: they are not shards of one run.`);
    if (s.run.seed !== seed) throw new MergeError(`'${s.path}' was explored with seed ${s.run.seed}, but '${sharded[0]!.path}' with seed ${seed}: shards of one run share its seed.`);
    const twin = byIndex.get(index);
    if (twin !== undefined) throw new MergeError(`'${twin.path}' and '${s.path}' are both shard ${index}/${count}.`);
    byIndex.set(index, s);
  }
  const missing = [...Array(count).keys()].map((i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    throw new MergeError(`shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')} of the run ${missing.length === 1 ? 'is' : 'are'} missing: merge every shard's summary.json.`);
  }
  return [...byIndex.keys()].sort((a, b) => a - b).map((i) => byIndex.get(i)!);
}

/** One scenario whose parts several shards explored: the lowest failing part wins, the parts up to it count. */
function joinParts(group: readonly { readonly summary: ScenarioSummary; readonly from: ShardSummary }[]): MergedScenario {
  const name = group[0]!.summary.scenario;
  const split = group.map((g) => {
    if (g.summary.parts === undefined) throw new MergeError(`scenario '${name}' is in both '${group[0]!.from.path}' and '${g.from.path}', explored whole in each: these are not shards of one run.`);
    return { ...g, parts: g.summary.parts };
  });
  const of = split[0]!.parts.of;
  split.sort((a, b) => a.parts.from - b.parts.from);
  for (const [i, s] of split.entries()) {
    if (s.parts.of !== of) {
      throw new MergeError(`scenario '${name}' was split into ${of} parts in '${split[0]!.from.path}' but ${s.parts.of} in '${s.from.path}': give every shard the same --workers.`);
    }
    const before = split[i - 1];
    if (before !== undefined && s.parts.from < before.parts.to) throw new MergeError(`'${before.from.path}' and '${s.from.path}' both explored parts of scenario '${name}' that overlap.`);
  }
  const failing = split.filter((s) => s.parts.failed !== undefined).sort((a, b) => a.parts.failed! - b.parts.failed!)[0];
  // Without a failure, the first shard whose parts tried every schedule decides, as a part does within a run.
  const exhausted = failing === undefined ? split.find((s) => s.summary.exhausted) : undefined;
  const counted = failing !== undefined ? split.filter((s) => s.parts.from <= failing.parts.failed!) : exhausted !== undefined ? split.filter((s) => s.parts.from <= exhausted.parts.from) : split;
  const lead = failing ?? exhausted ?? split[0]!;
  // Its own `interrupted` and `parts` describe one shard's share; the joined ones are worked out below.
  const { interrupted: _interrupted, parts: _parts, outcomes: _outcomes, unfinished: _unfinished, ...summary } = lead.summary;
  const unfinished = counted.reduce((n, s) => n + (s.summary.unfinished ?? 0), 0);
  // A shard that called its part incomplete did so because unfinished executions were not allowed (no --allow-unfinished).
  const incomplete = summary.kind === undefined && unfinished > 0 && split.some((s) => s.summary.verdict === 'incomplete');
  const merged: ScenarioSummary = {
    ...summary,
    verdict: !meets(summary.expected, summary.kind) ? 'fail' : incomplete ? 'incomplete' : 'pass',
    ...(unfinished > 0 ? { unfinished } : {}),
    executions: counted.reduce((n, s) => n + s.summary.executions, 0),
    steps: counted.reduce((n, s) => n + s.summary.steps, 0),
    elapsedMs: Math.max(...counted.map((s) => s.summary.elapsedMs)),
    exhausted: exhausted !== undefined,
    ...(counted.some((s) => s.summary.interrupted === true) ? { interrupted: true } : {}),
    ...outcomesOf(counted.map((s) => s.summary.outcomes)),
    parts: { from: split[0]!.parts.from, to: split[split.length - 1]!.parts.to, of, ...(failing === undefined ? {} : { failed: failing.parts.failed! }) },
  };
  return { summary: merged, from: lead.from };
}

function outcomesOf(lists: Parameters<typeof joinOutcomes>[0]): Pick<ScenarioSummary, 'outcomes'> {
  const outcomes = joinOutcomes(lists);
  return outcomes === undefined ? {} : { outcomes };
}
