import { isAbsolute, relative, sep } from 'node:path';
import { replayCommand, shellWord } from '../report/command.ts';
import type { CurrentTest } from './currentTest.ts';
import { REPLAY_VARIABLE } from './replayToken.ts';

/**
 * The command that replays a token through vitest, to be pasted as printed
 * from the project root: the token in INTERLEAVE_REPLAY, the test file, and
 * `-t` with the test's full name. vitest matches `-t` as a regular expression
 * against the describe and test names joined by spaces, so the name is
 * escaped and anchored: only this test runs, not every test whose name
 * contains it (under it.concurrent through the global expect, the test is
 * not known, and the line runs the whole file). Single quotes, because inside double quotes `$`, a backquote
 * or (interactively) `!` would still be read by the shell.
 */
export function vitestReplayCommand(token: string, test: CurrentTest, cwd = process.cwd()): string {
  // Without a test to name (a matcher called outside one), the CLI's form is the best there is.
  if (test.file === undefined || test.names === undefined) return replayCommand(token);
  // Which of the tests running side by side this is, the matcher could not tell: the whole file, then.
  if (test.ambiguous === true) return `${REPLAY_VARIABLE}=${token} npx vitest run ${shellWord(displayFile(test.file, cwd))}`;
  const pattern = `^${escapeRegExp(test.names.join(' '))}$`;
  return `${REPLAY_VARIABLE}=${token} npx vitest run ${shellWord(displayFile(test.file, cwd))} -t ${shellWord(pattern)}`;
}

/** Relative to the directory vitest runs from, with forward slashes, when the file is inside it. */
function displayFile(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return file;
  return rel.split(sep).join('/');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
