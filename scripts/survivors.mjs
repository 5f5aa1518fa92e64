// Writes test/mutation/SURVIVORS.md from StrykerJS's JSON report (reports/mutation/mutation.json):
// the mutation score of src/check and src/explore, and every mutant that survived (or that no test
// reached), grouped by file, each with the reason it is accepted. Reasons are looked up in
// test/mutation/reasons.json ({ "<file>:<line>:<mutator>": "why", "<file>:*:<mutator>": "why", ... });
// a survivor with no reason is listed as "not examined yet", so the file never claims more than was done.
// Run by `npm run mutation` after Stryker.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

const REPORT = 'reports/mutation/mutation.json';
const REASONS = 'test/mutation/reasons.json';
const OUT = 'test/mutation/SURVIVORS.md';

const report = JSON.parse(readFileSync(REPORT, 'utf8'));
// Files the configuration no longer mutates may linger in an incremental report: leave them out.
const config = (await import('../stryker.config.mjs')).default;
const excluded = new Set(config.mutate.filter((glob) => glob.startsWith('!')).map((glob) => glob.slice(1)));
const reasons = JSON.parse(readFileSync(REASONS, 'utf8'));
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

const folders = new Map();
const survivors = [];
for (const [file, { source, mutants }] of Object.entries(report.files)) {
  if (excluded.has(file)) continue;
  const folder = file.split('/').slice(0, 2).join('/');
  const tally = folders.get(folder) ?? { detected: 0, undetected: 0, timeouts: 0, other: 0 };
  folders.set(folder, tally);
  const lines = source.split('\n');
  for (const m of mutants) {
    if (DETECTED.has(m.status)) tally.detected++;
    else if (UNDETECTED.has(m.status)) tally.undetected++;
    else tally.other++;
    if (m.status === 'Timeout') tally.timeouts++;
    if (!UNDETECTED.has(m.status)) continue;
    const line = m.location.start.line;
    const reason =
      reasons[`${file}:${line}:${m.mutatorName}`] ?? reasons[`${file}:${line}:*`] ?? reasons[`${file}:*:${m.mutatorName}`] ?? reasons[`*:*:${m.mutatorName}`] ?? 'not examined yet';
    const original = (lines[line - 1] ?? '').trim();
    survivors.push({ file, line, mutator: m.mutatorName, status: m.status, original, replacement: (m.replacement ?? '').replace(/\s+/g, ' '), reason });
  }
}

const score = (t) => (t.detected + t.undetected === 0 ? 100 : (100 * t.detected) / (t.detected + t.undetected));
const cell = (text, max = 90) => {
  const flat = String(text).replace(/\|/g, '\\|').replace(/`/g, "'");
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};
const out = [];
out.push('# Surviving mutants of src/check and src/explore');
out.push('');
out.push('Written by `npm run mutation` (StrykerJS with its vitest runner, `stryker.config.mjs`; the suites it runs are in');
out.push('`vitest.mutation.config.ts`). A timeout counts as detected: the mutant made an execution spin. Reasons come from');
out.push('`test/mutation/reasons.json`.');
out.push('');
out.push('| folder | mutants | detected | of which timeouts | survived or not reached | score |');
out.push('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const [folder, t] of [...folders].sort()) {
  out.push(`| ${folder} | ${t.detected + t.undetected + t.other} | ${t.detected} | ${t.timeouts} | ${t.undetected} | ${score(t).toFixed(1)}% |`);
}
out.push('');
const byReason = new Map();
for (const s of survivors) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
out.push('Survivors by reason:');
out.push('');
for (const [reason, n] of [...byReason].sort((a, b) => b[1] - a[1])) out.push(`- ${n} × ${reason}`);
out.push('');
let current = '';
for (const s of survivors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)) {
  if (s.file !== current) {
    current = s.file;
    out.push('', `## ${s.file}`, '', '| line | mutator | code | mutated to | reason |', '| ---: | --- | --- | --- | --- |');
  }
  out.push(`| ${s.line} | ${s.mutator}${s.status === 'NoCoverage' ? ' (no test reached it)' : ''} | \`${cell(s.original, 70)}\` | \`${cell(s.replacement, 50)}\` | ${cell(s.reason, 200)} |`);
}
writeFileSync(`${OUT}.tmp`, `${out.join('\n')}\n`);
renameSync(`${OUT}.tmp`, OUT);
for (const [folder, t] of [...folders].sort()) console.log(`${folder}: ${score(t).toFixed(1)}% (${t.detected} detected, ${t.undetected} survived or not reached)`);
console.log(`${survivors.length} survivors listed in ${OUT}; ${byReason.get('not examined yet') ?? 0} not examined yet`);
