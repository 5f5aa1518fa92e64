import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';

/**
 * The file's syntax errors, as `file:line:column: text`, or undefined when it
 * parses. Asked only after an import failed: in a CommonJS package, Node
 * reports a TypeScript syntax error as an unrelated require() cycle, so the
 * real cause has to be found by parsing the file again with tsx's own parser.
 */
export async function syntaxErrors(absolute: string, display: string): Promise<string | undefined> {
  let source: string;
  try {
    source = await readFile(absolute, 'utf8');
  } catch {
    return undefined;
  }
  const ext = extname(absolute).toLowerCase();
  const loader = ext === '.ts' || ext === '.mts' || ext === '.cts' ? 'ts' : ext === '.tsx' ? 'tsx' : ext === '.jsx' ? 'jsx' : 'js';
  const { transform } = await import('esbuild');
  try {
    await transform(source, { loader, sourcefile: display, format: 'esm' });
    return undefined;
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { line: number; column: number } | null }[] }).errors;
    if (!Array.isArray(errors) || errors.length === 0) return undefined;
    return errors
      .map((e) => (e.location ? `${display}:${e.location.line}:${e.location.column + 1}: ${e.text}` : `${display}: ${e.text}`))
      .join('; ');
  }
}
