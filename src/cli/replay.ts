import { replay } from '../explore/explore.ts';
import type { ExploreResult } from '../explore/result.ts';
import { decodeToken, TokenError } from '../explore/token.ts';
import { renderJsonTrace } from '../report/json.ts';
import { renderTextReport } from '../report/text.ts';
import { duration } from '../report/summary.ts';
import { loadScenarioFile, resolveScenarioFiles, type LoadedScenario } from './load.ts';
import type { Output } from './output.ts';
import { EXIT_FAILURE, EXIT_OK, UsageError } from './usage.ts';

export interface ReplayFlags {
  readonly json?: boolean;
}

/**
 * `interleave replay <file> <token>`: re-runs the one execution the token
 * recorded, against whichever scenario of the file it was recorded for, and
 * prints its report. Exit 1 when the replay shows a failure, 0 when it runs
 * clean; 2 for a token that is malformed or belongs to no scenario there.
 */
export async function runReplay(path: string, token: string, flags: ReplayFlags, io: Output): Promise<number> {
  try {
    decodeToken(token);
  } catch (error) {
    if (error instanceof TokenError) throw new UsageError(error.message);
    throw error;
  }
  const [file] = await resolveScenarioFiles([path]);
  if (file === undefined) throw new UsageError(`'${path}' holds no scenario file.`);
  const loaded = await loadScenarioFile(file);
  let found: { readonly entry: LoadedScenario; readonly result: ExploreResult } | undefined;
  for (const entry of loaded) {
    try {
      found = { entry, result: await replay(entry.scenario, token) };
      break;
    } catch (error) {
      if (error instanceof TokenError) continue; // recorded for another scenario of the file: try the next
      const why = error instanceof Error ? error.message : String(error);
      throw new UsageError(`'${file.display}': ${why.startsWith('scenario ') ? why : `scenario '${entry.scenario.name}' cannot be replayed: ${why}`}`);
    }
  }
  if (found === undefined) {
    const names = loaded.map(({ scenario }) => `'${scenario.name}'`).join(', ');
    throw new UsageError(
      `replay token ${shorten(token)} was not recorded for any scenario in '${file.display}' (it has ${names}): ` +
        `replay it with the file that printed it; a scenario renamed or given other threads since then no longer matches.`,
    );
  }
  const { entry, result } = found;
  const c = io.outColors;
  if (result.failure === undefined) {
    if (flags.json === true) io.out(`${JSON.stringify({ scenario: entry.scenario.name, ok: true, steps: result.steps }, null, 2)}\n`);
    else io.out(`${c.green('clean')}  ${entry.scenario.name}: the replayed execution ran to its end with no failure (${result.steps} steps, ${duration(result.elapsedMs)}).\n`);
    return EXIT_OK;
  }
  if (flags.json === true) io.out(renderJsonTrace(result.failure));
  else io.out(renderTextReport(result.failure, { scenario: entry.scenario.name, file: file.display }));
  return EXIT_FAILURE;
}

function shorten(token: string): string {
  return token.length > 40 ? `${token.slice(0, 40)}…` : token;
}
