/**
 * Fuzzing the command line: generated argument lists — commands real and
 * not, every flag with values in range and out of it, unknown flags,
 * repeated ones, paths that exist, do not, or are not scenarios — run
 * through the CLI's in-process entry. Every one exits 0, 1 or 2, and 2
 * comes with one paragraph naming what is wrong; none prints an internal
 * error or a stack, none hangs. Asserted as properties, not wordings, so
 * that flags added later do not break it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { explore } from 'interleave';
import buggy from '../fixtures/cli/suite/buggy.ts';
import { cli, expectWellBehaved } from './fixtures/inProcessCli.ts';
import { fuzzRuns, fuzzSeed } from './budget.ts';

/** Each case runs the CLI in-process; some explore. */
const CASES = fuzzRuns(50);

const CORRECT = 'test/fixtures/cli/suite/correct.ts';
const BUGGY = 'test/fixtures/cli/suite/buggy.ts';
let dir = '';
let token = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'interleave-fuzz-cli-'));
  await writeFile(join(dir, 'a-file'), 'not a directory');
  const twoLocks = buggy.find((s) => s.name === 'two locks')!;
  token = (await explore(twoLocks, { seed: 1, runs: 200 })).failure!.replay;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Numbers as a user might type them, right and wrong; valid run counts stay small so that a case takes milliseconds. */
const numberText = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 40 }).map(String) },
  fc.constantFrom('', ' ', '1.5', '1e3', '0x10', 'NaN', 'Infinity', '-0', '+7', '9007199254740993', '4294967296', '99999999999999999999', 'ten', '٣'),
  fc.string({ maxLength: 4 }),
);
const strategyText = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('random', 'pct', 'dfs', 'portfolio') }, fc.constantFrom('RANDOM', 'bfs', ''), fc.string({ maxLength: 5 }));

/** A place for reports, chosen when the case runs: a fresh directory, or one under a file (unwritable). */
type ReportDir = 'fresh' | 'under-a-file';

const flag: fc.Arbitrary<readonly string[]> = fc.oneof(
  { weight: 2, arbitrary: fc.tuple(fc.constant('--strategy'), strategyText) },
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('--runs', '--seed', '--max-steps', '--time-limit', '--preemptions', '--depth', '--start-time'), numberText) },
  fc.tuple(fc.constant('--report-dir'), fc.constantFrom<ReportDir>('fresh', 'under-a-file')),
  fc.constantFrom(['--json'], ['--bogus'], ['-x'], ['--runs'], ['--'], ['--json=yes'], ['--seed=3'], ['-V'], ['--help'], ['--version']),
  fc.string({ maxLength: 6 }).map((s) => [s]),
);
const path = fc.constantFrom(CORRECT, BUGGY, 'test/fixtures/cli/suite', 'test/fixtures/cli/unexpected', 'test/fixtures/cli/nope.ts', 'package.json', 'test/fixtures/cli/bad/no-export.ts', 'test/fixtures', '');
const tokenText = fc.oneof(
  fc.constant('valid'),
  fc.string({ maxLength: 30 }),
  fc.constantFrom('IL1-', 'IL1-garbage', 'il1-AAAA', ''),
);

const argvArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(fc.constant(['explore']), fc.array(path, { minLength: 1, maxLength: 2 }), fc.array(flag, { maxLength: 3 })).map(([command, paths, flags]) => [...command, ...paths, ...flags.flat()]),
  },
  fc.tuple(fc.constant(['replay']), fc.array(path, { maxLength: 1 }), fc.array(tokenText, { maxLength: 2 }), fc.array(flag, { maxLength: 2 })).map(([command, paths, tokens, flags]) => [
    ...command,
    ...paths,
    ...tokens,
    ...flags.flat(),
  ]),
  fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('explore', 'replay', 'help', '--help', '-V')), { maxLength: 3 }),
);

/** The generated words, with places and tokens filled in; every run gets a report directory of its own first, so nothing is written to the repository. */
function concrete(words: readonly string[], n: number): string[] {
  const fresh = join(dir, `reports-${n}`);
  const filled = words.map((w) => (w === 'fresh' ? fresh : w === 'under-a-file' ? join(dir, 'a-file', 'reports') : w === 'valid' ? token : w));
  const [command, ...rest] = filled;
  return command === 'explore' ? [command, '--report-dir', fresh, '--runs', '20', ...rest] : filled;
}

describe('the command line, fuzzed in-process', () => {
  it(`exits 0, 1 or 2 for any arguments, with one paragraph for 2, no internal error, no hang (${CASES} cases)`, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(argvArb, async (words) => {
        const argv = concrete(words, n++);
        expectWellBehaved(await cli(argv), argv);
      }),
      { numRuns: CASES, seed: fuzzSeed(20260300) },
    );
  });
});
