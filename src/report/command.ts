/** Where the scenario file is not known, the command names this placeholder. */
export const UNKNOWN_FILE = '<scenario-file>';

/** Quotes a word for a POSIX shell only when it needs it, so the common command stays copyable as it is. */
export function shellWord(word: string): string {
  if (word === UNKNOWN_FILE || /^[\w./:@%+=,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command that replays a token, as a person would paste it into a terminal. */
export function replayCommand(token: string, file?: string): string {
  return `npx interleave replay ${shellWord(file ?? UNKNOWN_FILE)} ${token}`;
}
