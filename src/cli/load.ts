import type { Stats } from 'node:fs';
import { readdir, readlink, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorLine } from '../trace/index.ts';
import { definitionOf, type Scenario } from '../workload/scenario.ts';
import { syntaxErrors } from './syntax.ts';
import { registerTypeScript } from './typescript.ts';
import { UsageError } from './usage.ts';

/** The extensions a directory's scenario files may have; a file named on the command line loads whatever its extension. */
const SCENARIO_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

export interface ScenarioFile {
  readonly absolute: string;
  /** As a person would type it: relative to the working directory when inside it. */
  readonly display: string;
}

export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly file: ScenarioFile;
}

export function displayPath(absolute: string, cwd = process.cwd()): string {
  const rel = relative(cwd, absolute);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
}

/**
 * The scenario files the arguments name, in the order given; a directory
 * stands for its scenario files (not its subdirectories), sorted by name so
 * every run visits them in the same order. A file named twice loads once.
 */
export async function resolveScenarioFiles(paths: readonly string[], cwd = process.cwd()): Promise<ScenarioFile[]> {
  const files: ScenarioFile[] = [];
  const seen = new Set<string>();
  const add = (absolute: string): void => {
    if (seen.has(absolute)) return;
    seen.add(absolute);
    files.push({ absolute, display: displayPath(absolute, cwd) });
  };
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    const info = await stat(absolute).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(
        error.code === 'ENOENT'
          ? `scenario file or directory '${path}' does not exist.`
          : `cannot read scenario file or directory '${path}': ${error.message}.`,
      );
    });
    if (!info.isDirectory()) {
      add(absolute);
      continue;
    }
    const names = (await readdir(absolute))
      .filter((name) => !name.startsWith('.') && !name.endsWith('.d.ts') && SCENARIO_EXTENSIONS.includes(extname(name)))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const inside: string[] = [];
    for (const name of names) {
      const child = resolve(absolute, name);
      if ((await statInside(child, path, name)).isFile()) inside.push(child);
    }
    if (inside.length === 0) {
      throw new UsageError(`directory '${path}' has no scenario files (${SCENARIO_EXTENSIONS.join(', ')}).`);
    }
    inside.forEach(add);
  }
  return files;
}

/** A directory entry's stat; a link to nothing, or an entry that cannot be read, is the user's to fix, and named. */
async function statInside(child: string, dir: string, name: string): Promise<Stats> {
  try {
    return await stat(child);
  } catch (error) {
    const shown = join(dir, name);
    const target = await readlink(child).catch(() => undefined);
    if (target !== undefined) {
      throw new UsageError(`'${shown}' is a symbolic link to '${target}', which does not exist: remove the link, or name the scenario files to explore.`);
    }
    throw new UsageError(`cannot read '${shown}' in directory '${dir}': ${(error as Error).message}.`);
  }
}

/**
 * Imports a scenario file and returns what it default-exports: one scenario
 * or an array of them. Every way this can go wrong is a UsageError naming
 * the file: it does not parse, it throws while loading, it exports no
 * scenario, or a scenario in it is malformed.
 */
export async function loadScenarioFile(file: ScenarioFile): Promise<LoadedScenario[]> {
  await registerTypeScript();
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file.absolute).href)) as Record<string, unknown>;
  } catch (error) {
    const syntax = await syntaxErrors(file.absolute, file.display).catch(() => undefined);
    throw new UsageError(`cannot load scenario file '${file.display}': ${syntax === undefined ? loadProblem(error, file) : `it does not parse: ${syntax}.`}`);
  }
  let value = module.default;
  // A CommonJS module's exports arrive as `default`; its own `export default` sits one level down.
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && definitionOf(value) === undefined && 'default' in value) {
    value = (value as { default: unknown }).default;
  }
  const exportHint = `A scenario file must \`export default\` a scenario made by producerConsumer() or defineScenario(), or an array of them.`;
  if (value === undefined) {
    const named = Object.keys(module).filter((key) => key !== 'default');
    const has = named.length === 0 ? 'it exports nothing' : `it exports only ${named.map((n) => `'${n}'`).join(', ')}`;
    throw new UsageError(`scenario file '${file.display}' has no default export (${has}). ${exportHint}`);
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new UsageError(`scenario file '${file.display}' default-exports an empty array: there is no scenario to run. ${exportHint}`);
  return list.map((entry, i) => {
    const where = Array.isArray(value) ? `entry ${i} of the default export of '${file.display}'` : `the default export of '${file.display}'`;
    const definition = definitionOf(entry);
    if (definition === undefined) throw new UsageError(`${where} is not a scenario (it is ${kindOf(entry)}). ${exportHint}`);
    const scenario = entry as Scenario;
    if (definition.problems.length > 0) {
      throw new UsageError(`scenario '${scenario.name}' in '${file.display}' cannot run: ${definition.problems.join(' ')}`);
    }
    return { scenario, file };
  });
}

function loadProblem(error: unknown, file: ScenarioFile): string {
  // What a module throws while loading is code under test: its fields may be getters that throw, and it may have no toString.
  const field = (key: 'name' | 'message' | 'code'): unknown => {
    try {
      return (error as Record<string, unknown> | null | undefined)?.[key];
    } catch {
      return undefined;
    }
  };
  const e = { name: field('name'), message: field('message'), code: field('code') };
  const message = typeof e.message === 'string' ? e.message : errorLine(error);
  const shorten = (text: string): string => text.split(file.absolute).join(file.display);
  if (e.name === 'TransformError' || e.name === 'SyntaxError') {
    // esbuild: "Transform failed with 1 error:\n<file>:2:12: ERROR: Expected ..."
    const details = message
      .split('\n')
      .filter((line) => line.trim() !== '' && !/^Transform failed/.test(line))
      .map((line) => shorten(line).replace(': ERROR: ', ': '));
    return `it does not parse: ${details.join('; ') || message}.`;
  }
  if (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return `one of its imports cannot be found: ${shorten(message)}`;
  return `it threw while loading: ${shorten(errorLine(error))}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return `a function${value.name === '' ? '' : ` named '${value.name}'`}`;
  if (typeof value === 'object') return 'an object not made by producerConsumer() or defineScenario()';
  return `${typeof value} ${JSON.stringify(value)}`;
}
