#!/usr/bin/env node
// The `interleave` command. An installed package runs its compiled CLI from dist/, and registers
// tsx only when it loads the user's scenario files (see src/cli/typescript.ts).
//
// A checkout of this repository runs the sources instead, through tsx, whether or not dist/ has been
// built: src/ is never shipped, so its presence beside bin/ means "this is the checkout", and a dist/
// left over from an earlier build must not be what the tests and `npm run explore` exercise. The
// repository's tsconfig.json maps 'interleave' to src/ (its `paths`), so scenario files importing
// 'interleave' get the same modules as the CLI.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const sources = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(sources)) {
  const [{ register }, { register: registerCommonJs }] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
  register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
  registerCommonJs();
  // Tells src/cli/typescript.ts that the loaders are in place, so they are not registered twice.
  globalThis[Symbol.for('interleave.typescript-loader')] = true;
  await import(sources.href);
} else {
  await import('../dist/cli/main.js');
}
