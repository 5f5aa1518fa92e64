// The entry of the CLI's worker threads (src/cli/pool.ts starts them; src/cli/worker.ts does the work).
// A worker thread does not inherit the module hooks its parent registered, so this file chooses between
// the sources and the compiled CLI exactly as bin/interleave.js does, and registers tsx itself for the
// sources. No top-level await: the pool may require() this file before it falls back to import().
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let handler;

async function load() {
  const sources = new URL('../src/cli/worker.ts', import.meta.url);
  if (!existsSync(sources)) return (await import('../dist/cli/worker.js')).default;
  const [{ register }, { register: registerCommonJs }] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
  register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
  registerCommonJs();
  // Tells src/cli/typescript.ts that the loaders are in place, so they are not registered twice.
  globalThis[Symbol.for('interleave.typescript-loader')] = true;
  return (await import(sources.href)).default;
}

export default async function run(task) {
  handler ??= load();
  return (await handler)(task);
}
