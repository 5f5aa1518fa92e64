/**
 * The cross-check on every scenario of the library (issue 16 item 5):
 * `npx tsx test/proof/crossCheckAll.ts [dfs seconds, default 60] [name filter]`.
 * For each scenario plain dfs can exhaust (or fail) within the limit, proof
 * mode must reach the same outcomes and find the same kind of failure or
 * none. Exit code 1 on any disagreement; scenarios dfs cannot finish are
 * listed as not compared.
 */
import { readdirSync } from 'node:fs';
import { definitionOf, type Scenario } from '../../src/workload/scenario.ts';
import { crossCheck } from './crossCheck.ts';

const limitMs = Number(process.argv[2] ?? 60) * 1000;
const filter = process.argv[3] ?? '';
const dir = new URL('../../scenarios/', import.meta.url);
let disagreements = 0;
console.log('| scenario | dfs executions | dfs verdict | proof executions | proof verdict | compared | agree |');
console.log('| --- | ---: | --- | ---: | --- | --- | --- |');
for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f.includes(filter)).sort()) {
  const module = (await import(new URL(file, dir).href)) as { default?: unknown };
  const scenarios = (Array.isArray(module.default) ? module.default : [module.default]).filter((s) => definitionOf(s) !== undefined) as Scenario[];
  for (const scenario of scenarios) {
    const r = await crossCheck(scenario, limitMs);
    const verdict = (kind: string | undefined, extra = ''): string => (kind ?? 'ok') + extra;
    const agree = !r.compared ? '-' : r.agree ? 'yes' : `NO (only dfs: ${r.onlyDfs.join('; ') || '-'}; only proof: ${r.onlyProof.join('; ') || '-'})`;
    if (r.compared && !r.agree) disagreements++;
    console.log(
      `| ${scenario.name} | ${r.dfs.executions.toLocaleString('en-US')} | ${verdict(r.dfs.kind)} | ${r.proof.executions.toLocaleString('en-US')} | ${verdict(r.proof.kind, r.proof.kind === undefined && r.proof.proved ? ' (proved)' : '')} | ${r.compared ? 'yes' : 'no (dfs did not finish)'} | ${agree} |`,
    );
  }
}
console.log(disagreements === 0 ? '\nNo disagreement.' : `\n${disagreements} disagreement(s).`);
process.exitCode = disagreements === 0 ? 0 : 1;
