import { createHash } from 'node:crypto';

/** Text for HTML markup, in element content and in quoted attributes alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON to embed in a `<script type="application/json">` block. `<` and `>`
 * are escaped so that no string inside can close the block (`</script>`) or
 * open a comment that changes how it parses (`<!--`), `&` so that nothing
 * reads as a character reference, and U+2028/2029 so that the text stays
 * valid for any script parser. JSON.parse reads every escape back as the
 * character it stands for.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The CSP source for an inline block: its SHA-256, so a page runs its own script and style and nothing else. */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}
