import { constants } from 'node:fs';
import { access, appendFile, lstat, readFile, readlink, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Scenario } from '../workload/scenario.ts';
import type { ExploreResult, Failure } from './result.ts';
import { scenarioId, TOKEN_PREFIX, TokenError, tokenScenarioId } from './token.ts';

/**
 * A regression file: the replay tokens of failures found so far, one a line,
 * each under a `#` comment naming its scenario, kind and date. Every later
 * exploration with the file replays its scenario's tokens before searching,
 * so a bug found once stays checked after it is fixed. Tokens of other
 * scenarios share the file and are skipped.
 */
export const REGRESSIONS_HEADER = '# Interleave regression file: replay tokens of failures found, replayed first by every exploration that names this file.';

/** A file given as a regression file that is not one (or cannot be read); the message names it. */
export class RegressionFileError extends Error {
  override name = 'RegressionFileError';
}

/**
 * Checks a regression file before anything is explored: it is read and its
 * lines checked (readRegressions), and the failures that will be found can
 * be appended to it — it is writable, or its folder is, where it does not
 * exist yet. A symbolic link to a file that does not exist is refused: the
 * file it meant has moved. Returns its tokens.
 */
export async function checkRegressionFile(path: string): Promise<string[]> {
  const link = await lstat(path).catch(() => undefined);
  if (link?.isSymbolicLink() === true && (await stat(path).catch(() => undefined)) === undefined) {
    const target = await readlink(path).catch(() => '?');
    throw new RegressionFileError(
      `regression file '${path}' is a symbolic link to '${resolve(dirname(path), target)}', which does not exist: point the link at the regression file, or remove it and Interleave creates the file.`,
    );
  }
  const tokens = await readRegressions(path);
  if (link !== undefined) {
    await access(path, constants.W_OK).catch((error: NodeJS.ErrnoException) => {
      throw new RegressionFileError(`cannot write regression file '${path}': ${writeProblem(error)}. The tokens of failures found are appended to it: make it writable, or give another file.`);
    });
    return tokens;
  }
  const folder = dirname(resolve(path));
  const info = await stat(folder).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw new RegressionFileError(`cannot create regression file '${path}': its folder '${dirname(path)}' ${info === undefined ? 'does not exist' : 'is not a directory'}. Make the folder, or give another file.`);
  }
  await access(folder, constants.W_OK).catch((error: NodeJS.ErrnoException) => {
    throw new RegressionFileError(`cannot create regression file '${path}' in '${dirname(path)}': ${writeProblem(error)}. Give another file.`);
  });
  return tokens;
}

function writeProblem(error: NodeJS.ErrnoException): string {
  if (error.code === 'EACCES' || error.code === 'EPERM') return 'it is read-only';
  if (error.code === 'EROFS') return 'its file system is read-only';
  return error.message;
}

/** The file's tokens, in order; none when it does not exist yet (the first failure creates it). */
export async function readRegressions(path: string): Promise<string[]> {
  return [...(await parsedFile(path)).tokens];
}

interface ParsedFile {
  /** The file's identity when it was read: its inode, size and modification time. */
  readonly version: string;
  readonly tokens: readonly string[];
  /** The scenario each token was recorded for. */
  readonly scenarios: readonly number[];
}

/**
 * The last reading of each file, kept while the file is unchanged: a long
 * token costs a read, a checksum and a header every time the file is read,
 * and a worker reads it once per scenario (the CLI's worker reads it before
 * its part counts as running, so that the watchdog never times the reading).
 */
const readings = new Map<string, ParsedFile>();

async function parsedFile(path: string): Promise<ParsedFile> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new RegressionFileError(`cannot read regression file '${path}': ${error.message}`);
  });
  if (info === undefined) return { version: 'none', tokens: [], scenarios: [] };
  const version = `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}`;
  const known = readings.get(path);
  if (known?.version === version) return known;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 'none', tokens: [], scenarios: [] };
    throw new RegressionFileError(`cannot read regression file '${path}': ${(error as Error).message}`);
  }
  const tokens: string[] = [];
  const scenarios: number[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    // A file of anything else is refused whole: appending tokens to someone's notes or source would damage it.
    const read = !line.startsWith(TOKEN_PREFIX) ? `line ${i + 1} is neither a replay token (${TOKEN_PREFIX}...) nor a '#' comment` : tokenScenario(line, i + 1);
    if (typeof read === 'string') {
      throw new RegressionFileError(
        `'${path}' is not a regression file: ${read}. A regression file holds only replay tokens, one a line, and '#' comments; give a new file name, and Interleave creates it.`,
      );
    }
    tokens.push(line);
    scenarios.push(read);
  }
  const parsed = { version, tokens, scenarios };
  readings.set(path, parsed);
  return parsed;
}

/** The scenario of a line that looks like a token, from its header and checksum (its choices are decoded only when it is replayed), or what is wrong with it. */
function tokenScenario(line: string, number: number): number | string {
  try {
    return tokenScenarioId(line);
  } catch (error) {
    if (error instanceof TokenError) return `line ${number}: ${error.message.replace(/\.$/, '')}`;
    throw error;
  }
}

/**
 * Replays the file's tokens that belong to this scenario, in file order, and
 * returns the first that still fails. A replay that leaves its recorded
 * schedule (`nondeterminism`) means the code changed under it: the bug's
 * schedule no longer exists, which is what a fix looks like, so it passes.
 */
export async function replayRegressions(
  scenario: Scenario,
  path: string,
  replay: (scenario: Scenario, token: string) => Promise<ExploreResult>,
): Promise<{ readonly found?: ExploreResult; readonly replayed: number; readonly steps: number }> {
  const id = scenarioId(scenario.name, scenario.threads);
  // Another scenario's token, however long the execution it records, is skipped by its header.
  const { tokens, scenarios } = await parsedFile(path);
  const mine = tokens.filter((_, i) => scenarios[i] === id);
  let steps = 0;
  for (const [i, token] of mine.entries()) {
    const result = await replay(scenario, token);
    steps += result.steps;
    if (result.failure !== undefined && result.failure.kind !== 'nondeterminism') return { found: result, replayed: i + 1, steps };
  }
  return { replayed: mine.length, steps };
}

/** Appends a failure's token under a comment line, unless the file has it already. */
export async function recordRegression(path: string, scenarioName: string, failure: Pick<Failure, 'kind' | 'replay'>, now = new Date()): Promise<void> {
  const tokens = await readRegressions(path);
  if (tokens.includes(failure.replay)) return;
  const existing = await readFile(path, 'utf8').catch(() => '');
  const head = existing === '' ? `${REGRESSIONS_HEADER}\n` : existing.endsWith('\n') ? '' : '\n';
  const comment = `# ${scenarioName.replace(/[\r\n]+/g, ' ')}: ${failure.kind}, found ${now.toISOString()}`;
  await appendFile(path, `${head}${comment}\n${failure.replay}\n`);
}

/**
 * explore() with a regression file: the file's tokens for the scenario first
 * (a replay that still fails is the result, counted as the executions it
 * took), then the search; a failure the search finds is appended.
 */
export async function withRegressions(
  scenario: Scenario,
  path: string,
  search: () => Promise<ExploreResult>,
  replay: (scenario: Scenario, token: string) => Promise<ExploreResult>,
): Promise<ExploreResult> {
  // Checked before anything is explored: a file that cannot take the token of a failure found is refused now, not after.
  await checkRegressionFile(path);
  const started = performance.now();
  const checked = await replayRegressions(scenario, path, replay);
  const replayMs = performance.now() - started;
  const result = checked.found === undefined ? await search() : undefined;
  if (result === undefined) {
    const found = checked.found!;
    return { ...found, executions: checked.replayed, steps: checked.steps, elapsedMs: replayMs };
  }
  if (result.failure !== undefined) await recordRegression(path, scenario.name, result.failure);
  return { ...result, executions: result.executions + checked.replayed, steps: result.steps + checked.steps, elapsedMs: result.elapsedMs + replayMs };
}
