/**
 * Loads a scenario's module again, instrumented (hooks.ts), and finds the
 * scenario in it: proof mode explores that copy. Nothing here runs, and no
 * hook is registered, until a proof exploration asks.
 */
import Module, { register } from 'node:module';
import { fileURLToPath } from 'node:url';
import { definitionOf, scenariosOf, type Scenario, type ScenarioDefinition } from '../workload/scenario.ts';
import { installProofRuntime } from './runtime.ts';
import { MARK } from './hooks.ts';

const TS = import.meta.url.endsWith('.ts');
const HOOKS = new URL(TS ? './hooks.ts' : './hooks.js', import.meta.url).href;
const HARNESS_DIR = new URL('../', import.meta.url).href;
const ENTRIES = [new URL(TS ? '../index.ts' : '../index.js', import.meta.url).href, new URL(TS ? '../vitest/index.ts' : '../vitest/index.js', import.meta.url).href];
const TS_LOADER = Symbol.for('interleave.typescript-loader');
const HARNESS = Symbol.for('interleave.proof.harness');
const SKIPPED = Symbol.for('interleave.proof.skipped');

type Importer = (url: string) => Promise<Record<string, unknown>>;

/**
 * A native import, which a bundler or vitest's module runner does not take
 * over: it goes through Node's loader and its hooks. Where code compiled at
 * run time has no import callback (vitest runs modules in a vm script), the
 * same one-liner compiled by Node's CommonJS loader, which has one.
 */
async function nativeImport(url: string): Promise<Record<string, unknown>> {
  try {
    return await (new Function('url', 'return import(url)') as Importer)(url);
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code !== 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING') throw error;
    return commonJsImporter()(url);
  }
}

let importer: Importer | undefined;
function commonJsImporter(): Importer {
  if (importer !== undefined) return importer;
  const filename = `${fileURLToPath(import.meta.url)}.native-import.cjs`;
  const ModuleClass = Module as unknown as new (id: string) => { filename: string; paths: string[]; exports: unknown; _compile(code: string, filename: string): void };
  const m = new ModuleClass(filename);
  m.filename = filename;
  m.paths = [];
  m._compile('module.exports = (url) => import(url);', filename);
  importer = m.exports as Importer;
  return importer;
}

let registered: Promise<void> | undefined;
/** Modules the transform could not instrument, for the result's wording. */
export const skippedModules: string[] = [];

async function registerHooks(): Promise<void> {
  installProofRuntime();
  const flags = globalThis as unknown as Record<symbol, unknown>;
  if (flags[TS_LOADER] !== true) {
    const [{ register: tsx }, { register: tsxCjs }] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
    tsx();
    tsxCjs();
    flags[TS_LOADER] = true;
  }
  // The harness as it runs here: the entry modules instrumented code imports are re-exports of these.
  const index = (await import(TS ? '../index.ts' : '../index.js')) as Record<string, unknown>;
  let vitest: Record<string, unknown> = {};
  try {
    vitest = (await import(TS ? '../vitest/index.ts' : '../vitest/index.js')) as Record<string, unknown>;
  } catch {
    // No vitest here: scenario modules do not import interleave/vitest.
  }
  flags[HARNESS] = { [ENTRIES[0]!]: index, [ENTRIES[1]!]: vitest };
  flags[SKIPPED] = (why: string) => skippedModules.push(why);
  register(HOOKS, { data: { harnessDir: HARNESS_DIR, entries: { [ENTRIES[0]!]: Object.keys(index), [ENTRIES[1]!]: Object.keys(vitest) } } });
}

export type Loaded = { readonly scenario: Scenario; readonly definition: ScenarioDefinition } | { readonly reason: string };

/** The scenario named `name`, from an instrumented copy of `origin` (and the modules it imports; `packages` opts node_modules packages in). */
export async function loadInstrumented(origin: string | undefined, name: string, packages: readonly string[] = []): Promise<Loaded> {
  registered ??= registerHooks();
  await registered;
  if (origin === undefined) return { reason: 'where the scenario was defined is not known (define it at the top level of a module and export it)' };
  const marker = `${MARK}=${encodeURIComponent(packages.length === 0 ? '1' : packages.join(','))}`;
  let module: Record<string, unknown>;
  try {
    module = await nativeImport(`${origin}${origin.includes('?') ? '&' : '?'}${marker}`);
  } catch (error) {
    return { reason: `its module ${origin} did not load instrumented (${error instanceof Error ? error.message : String(error)})` };
  }
  const found = scenariosOf(module).find((s) => s.name === name);
  if (found === undefined) return { reason: `its module ${origin} does not export it (define the scenario in a module of its own and export it)` };
  return { scenario: found, definition: definitionOf(found)! };
}
