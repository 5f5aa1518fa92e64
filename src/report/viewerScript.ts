import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

let bundled: string | undefined;

/**
 * The viewer's page script: src/report/viewer/ bundled into one script by
 * esbuild (already a dependency, for scenario files), once per process.
 * Bundled rather than stringified functions, because tsx and vitest rewrite
 * functions with helpers that would not exist in the page.
 */
export function viewerScript(): string {
  bundled ??= bundle();
  return bundled;
}

function bundle(): string {
  // From the sources this module is viewerScript.ts; from the built package, viewerScript.js beside a compiled viewer/.
  const here = fileURLToPath(import.meta.url);
  const entry = join(dirname(here), 'viewer', `main${extname(here)}`);
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    charset: 'ascii',
    legalComments: 'none',
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]!.text;
  // esbuild escapes `</script` inside strings; a script block must never hold it, whatever the source says.
  if (/<\/script/i.test(text) || text.includes('<!--')) throw new Error('the trace viewer script contains a sequence that would end its <script> block');
  return text;
}
