/**
 * Characters a terminal or a text viewer would act on instead of showing: the
 * C0 controls (ESC begins ANSI and OSC sequences that clear the screen, set
 * the title or make links; CR overwrites the line; BEL rings), DEL, the C1
 * controls (U+009B is a CSI of its own), and the bidirectional overrides and
 * isolates, which reorder what is shown ("Trojan Source"). Tab and newline
 * are left to the caller.
 */
const ACTING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const ACTING_OR_LINE_BREAKS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text that is data (a scenario's name, a thread's, a message, an item) as
 * the CLI prints it and failure.txt holds it: every character that would act
 * is written as a visible escape (`\x1b`, `\r`, `\u202e`), so that it is
 * seen, never obeyed. With `oneLine`, tabs and line breaks are escaped too,
 * for a name in a heading or a table cell.
 */
export function printable(text: string, options: { readonly oneLine?: boolean } = {}): string {
  return text.replace(options.oneLine === true ? ACTING_OR_LINE_BREAKS : ACTING, escapeOf);
}

/**
 * JSON text with the characters a terminal would act on that JSON.stringify
 * leaves as they are (DEL, the C1 controls, the bidirectional controls)
 * written as `\u` escapes: the same value to every JSON reader, and nothing
 * that acts when the JSON is printed. They can only stand inside strings,
 * where an escape means the character itself.
 */
export function printableJson(json: string): string {
  return json.replace(/[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function escapeOf(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
