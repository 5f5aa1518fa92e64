/**
 * Text that Mermaid reads as text: `#` and `;` end a statement, a newline
 * ends a line, `%%` starts a comment, double quotes and backticks confuse
 * the parser or the Markdown fence around it, and `<`, `>`, `&` would be taken
 * as markup, and control characters would act on a terminal showing the
 * file. Each becomes a Mermaid entity code (`#35;`), which Mermaid shows as
 * the character itself.
 */
export function mermaidText(text: string): string {
  const escaped = text
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[#;"`<>&%]/g, (c) => `#${c.charCodeAt(0)};`)
    // What a terminal or an editor would act on (escape sequences, bidirectional overrides) is shown, never obeyed.
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `#${c.charCodeAt(0)};`)
    .replace(/^(\s*(?:no)?wrap):/i, '$1#58;')
    .trim();
  return escaped === '' ? '…' : escaped;
}
