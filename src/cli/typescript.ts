/**
 * Users' scenario files may be TypeScript (`.ts`, `.mts`, `.cts`), and may
 * import TypeScript helpers even from a `.js` file, so tsx's loaders are
 * registered before the first scenario file is imported, and only then: the
 * CLI itself is compiled JavaScript and loads without them. Both hooks,
 * because a `.ts` file in a CommonJS package goes through require(), and
 * without the CommonJS hook Node would see TypeScript there and fail with an
 * unrelated require() cycle error.
 */
const REGISTERED = Symbol.for('interleave.typescript-loader');

export async function registerTypeScript(): Promise<void> {
  const flags = globalThis as unknown as Record<symbol, boolean | undefined>;
  // bin/interleave.js sets the flag when it runs this repository's sources, having registered tsx itself.
  if (flags[REGISTERED] === true) return;
  const [{ register }, { register: registerCommonJs }] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
  register();
  registerCommonJs();
  flags[REGISTERED] = true;
}
