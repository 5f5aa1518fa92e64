/**
 * The no-false-alarm suite of real npm libraries (issue 13, item 4):
 * explores every scenario in test/libraries/ with the default options and
 * 10,000 executions each (LIBRARY_RUNS changes the count, LIBRARY_SEED the
 * seed; both printed), prints a table — library, release, what it does,
 * scenario, executions, verdict, time — and exits 1 when a correct release
 * gets any finding or a buggy release is not caught with the kind it
 * declares. Arguments, when given, keep only the files whose name contains
 * one of them (`npm run libraries -- p-queue limiter`).
 *
 * Each file default-exports a scenario or an array of them and exports
 * `library` ({ name, release, does, expected }); a correct release is
 * imported by its own name, a buggy one by `<name>-buggy` (an npm alias),
 * and the installed version of either must be the release the file names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { explore, type ExploreResult, type Scenario } from 'interleave';

export interface LibraryInfo {
  readonly name: string;
  readonly release: string;
  readonly does: string;
  readonly expected: 'ok' | 'invariant' | string;
  /** For a known-buggy release: what the finding's message says when it is that bug (not some other finding of the same kind). */
  readonly shows?: RegExp;
}

export interface LibraryFile {
  readonly file: string;
  readonly library: LibraryInfo;
  readonly scenarios: readonly Scenario[];
}

const here = dirname(fileURLToPath(import.meta.url));

/** The scenario files of the suite, in name order, with their library's metadata. */
export async function loadLibraries(filters: readonly string[] = []): Promise<LibraryFile[]> {
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'run.ts' && f !== 'real-node.ts')
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort();
  const out: LibraryFile[] = [];
  for (const file of files) {
    const mod = (await import(join(here, file))) as { default: Scenario | Scenario[]; library?: LibraryInfo };
    if (mod.library === undefined) throw new Error(`${file} exports no 'library' description`);
    out.push({ file, library: mod.library, scenarios: Array.isArray(mod.default) ? mod.default : [mod.default] });
  }
  return out;
}

/** The version installed under the name a file imports (`name`, or `name-buggy` for a known-buggy release). */
export function installedVersion(lib: LibraryInfo): string {
  const pkg = lib.expected === 'ok' ? lib.name : `${lib.name}-buggy`;
  const json = JSON.parse(readFileSync(join(here, '..', '..', 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string };
  return json.version;
}

/** What a result means for this library: met its expectation or not, and in words. */
export function verdict(lib: LibraryInfo, r: ExploreResult): { good: boolean; text: string } {
  if (lib.expected === 'ok') return r.ok ? { good: true, text: 'no finding' } : { good: false, text: `FALSE ALARM? ${r.failure!.kind}` };
  if (r.ok) return { good: false, text: `MISSED (expected ${lib.expected})` };
  if (r.failure!.kind !== lib.expected) return { good: false, text: `caught as ${r.failure!.kind}, expected ${lib.expected}` };
  if (lib.shows !== undefined && !lib.shows.test(r.failure!.message)) return { good: false, text: `found ${r.failure!.kind}, but not the known bug` };
  return { good: true, text: `caught: ${r.failure!.kind}` };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
  const fmt = (r: string[]) => '| ' + r.map((cell, c) => (c === 4 || c === 6 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join(' | ') + ' |';
  return [line, fmt(rows[0]!), line, ...rows.slice(1).map(fmt), line].join('\n');
}

async function main(): Promise<void> {
  const runs = Number(process.env.LIBRARY_RUNS ?? 10_000);
  const seed = Number(process.env.LIBRARY_SEED ?? 13_4);
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`LIBRARY_RUNS must be a positive integer; got ${process.env.LIBRARY_RUNS}`);
  if (!Number.isSafeInteger(seed)) throw new Error(`LIBRARY_SEED must be an integer; got ${process.env.LIBRARY_SEED}`);
  console.log(`Exploring real npm libraries: ${runs.toLocaleString('en-US')} executions per scenario, seed ${seed}, default options.`);
  const libraries = await loadLibraries(process.argv.slice(2));
  const rows = [['library', 'release', 'what it does', 'scenario', 'executions', 'verdict', 'time']];
  const details: string[] = [];
  let bad = 0;
  for (const { file, library, scenarios } of libraries) {
    const installed = installedVersion(library);
    if (installed !== library.release) {
      bad++;
      details.push(`${file}: names ${library.name} ${library.release}, but ${installed} is installed`);
    }
    for (const scenario of scenarios) {
      const started = Date.now();
      const r = await explore(scenario, { runs, seed });
      const v = verdict(library, r);
      const seconds = `${((Date.now() - started) / 1000).toFixed(1)} s`;
      rows.push([library.name, library.release, library.does, scenario.name, r.executions.toLocaleString('en-US'), v.text, seconds]);
      console.log(`${v.good ? 'ok  ' : 'BAD '} ${scenario.name}: ${v.text} in ${r.executions.toLocaleString('en-US')} executions (${seconds})`);
      if (r.unfinished) details.push(`${scenario.name}: ${r.unfinished} executions ran out of steps while still progressing`);
      if (!v.good) {
        bad++;
        details.push(`${basename(file)} — ${scenario.name}: ${v.text}\n${r.failure?.message ?? ''}`);
      }
    }
  }
  console.log('\n' + table(rows));
  for (const d of details) console.log('\n' + d);
  console.log(`\n${bad === 0 ? 'Every library met its expectation' : `${bad} problem(s)`}: seed ${seed}, ${runs.toLocaleString('en-US')} executions per scenario.`);
  process.exitCode = bad === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
