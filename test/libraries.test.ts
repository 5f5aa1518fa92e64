/**
 * The no-false-alarm suite of real npm libraries at a small size (issue 13,
 * item 4): every scenario of test/libraries/ explored with the default
 * options, a fixed seed and LIBRARY_TEST_RUNS executions (200 unless set);
 * a correct release must give no finding, a release with a known bug must
 * be caught with the kind its file declares. `npm run libraries` runs the
 * same at 10,000 executions each.
 */
import { describe, expect, it } from 'vitest';
import { explore } from 'interleave';
import { installedVersion, loadLibraries } from './libraries/run.ts';

const RUNS = Number(process.env.LIBRARY_TEST_RUNS ?? 200);
const SEED = 134;

const libraries = await loadLibraries();

describe('real npm libraries', () => {
  it('has at least 15 correct packages and 3 known-buggy releases, each installed at the release its file names', () => {
    const correct = new Set(libraries.filter((l) => l.library.expected === 'ok').map((l) => l.library.name));
    const buggy = libraries.filter((l) => l.library.expected !== 'ok');
    expect(correct.size).toBeGreaterThanOrEqual(15);
    expect(buggy.length).toBeGreaterThanOrEqual(3);
    for (const l of libraries) expect(installedVersion(l.library), l.file).toBe(l.library.release);
  });

  for (const { file, library, scenarios } of libraries) {
    for (const scenario of scenarios) {
      if (library.expected === 'ok') {
        it(`${library.name} ${library.release} (${scenario.name}): no finding in ${RUNS} executions`, async () => {
          const r = await explore(scenario, { runs: RUNS, seed: SEED });
          expect(r.failure?.message ?? 'no finding', `${file}`).toBe('no finding');
          expect(r.executions).toBe(RUNS);
        });
      } else {
        it(`${library.name} ${library.release} (${scenario.name}): its known bug is caught as ${library.expected}`, async () => {
          const r = await explore(scenario, { runs: RUNS, seed: SEED });
          expect(r.ok, `${file}: not caught in ${r.executions} executions`).toBe(false);
          expect(r.failure!.kind).toBe(library.expected);
          if (library.shows !== undefined) expect(r.failure!.message).toMatch(library.shows);
        });
      }
    }
  }
});
