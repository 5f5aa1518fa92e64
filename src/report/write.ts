import { mkdir, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Failure } from '../explore/result.ts';
import { renderTraceHtml } from './html.ts';
import { renderIndexHtml } from './indexHtml.ts';
import { renderJsonTrace } from './json.ts';
import { renderMermaid } from './mermaid.ts';
import { printableJson } from './printable.ts';
import type { RunSummary } from './summary.ts';
import { renderTextReport } from './text.ts';

export const TEXT_REPORT = 'failure.txt';
export const JSON_TRACE = 'trace.json';
export const HTML_VIEWER = 'trace.html';
export const MERMAID_DIAGRAM = 'trace.mmd';
export const SUMMARY_FILE = 'summary.json';
export const INDEX_FILE = 'index.html';
/** Every file a failing scenario's folder holds. */
export const REPORT_FILES = [TEXT_REPORT, JSON_TRACE, HTML_VIEWER, MERMAID_DIAGRAM] as const;

/** A report directory that cannot be written; the message names it and says why. */
export class ReportDirError extends Error {
  override name = 'ReportDirError';
  constructor(
    readonly dir: string,
    cause: unknown,
    /** Said instead of the cause and the usual advice, where they would not fit. */
    problem?: string,
  ) {
    super(`cannot write reports to '${dir}': ${problem ?? `${why(cause)}. Choose another directory with --report-dir, or fix its permissions.`}`);
  }
}

/**
 * A scenario's folder name: lower case, words joined by `-`, nothing a shell
 * or a file system would trip on. The same name always gives the same slug.
 */
export function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return s === '' ? 'scenario' : s;
}

/** Folder names for the scenarios: their slugs, with `-2`, `-3`... where two would share one. */
export function uniqueSlugs(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    const base = slug(name);
    let folder = base;
    for (let n = 2; used.has(folder); n++) folder = `${base}-${n}`;
    used.add(folder);
    return folder;
  });
}

/** A failing scenario's report files; the run summary lists them. */
export interface ReportFiles {
  /** <dir>/<slug>/failure.txt */
  readonly text: string;
  /** <dir>/<slug>/trace.json */
  readonly json: string;
  /** <dir>/<slug>/trace.html */
  readonly html: string;
  /** <dir>/<slug>/trace.mmd */
  readonly mermaid: string;
}

export interface WrittenReports extends ReportFiles {
  /** <dir>/<slug> */
  readonly dir: string;
}

/** Where a scenario's reports go, under `<dir>/<slug>/`. */
export function reportFiles(dir: string, slugName: string): ReportFiles {
  const folder = join(dir, slugName);
  return { text: join(folder, TEXT_REPORT), json: join(folder, JSON_TRACE), html: join(folder, HTML_VIEWER), mermaid: join(folder, MERMAID_DIAGRAM) };
}

/**
 * Writes a failure's reports to `<dir>/<slug>/`: the text report, the JSON
 * trace, the HTML viewer and the Mermaid diagram. All are written under
 * temporary names first and renamed only once all are complete, so a reader
 * sees the old set or the new set, never half of one.
 */
export async function writeReports(
  dir: string,
  scenarioName: string,
  failure: Failure,
  file?: string,
  options: { readonly slug?: string } = {},
): Promise<WrittenReports> {
  const name = options.slug ?? slug(scenarioName);
  const paths: WrittenReports = { dir: join(dir, name), ...reportFiles(dir, name) };
  const named = file === undefined ? { scenario: scenarioName } : { scenario: scenarioName, file };
  await writeAtomically(paths.dir, [
    [paths.text, renderTextReport(failure, named)],
    [paths.json, renderJsonTrace(failure)],
    [paths.html, renderTraceHtml(failure, named)],
    [paths.mermaid, renderMermaid(failure.trace)],
  ]);
  return paths;
}

/**
 * Writes the run's summary: `<dir>/summary.json` for machines and
 * `<dir>/index.html` for people, atomically together. The index links the
 * report paths the summary names relative to `linksFrom`: where the
 * directory will be once a staged directory (stagedDir.ts) is in place.
 */
export async function writeSummary(dir: string, summary: RunSummary, linksFrom = dir): Promise<string> {
  const path = join(dir, SUMMARY_FILE);
  await writeAtomically(dir, [
    [path, `${printableJson(JSON.stringify(summary, null, 2))}\n`],
    [join(dir, INDEX_FILE), renderIndexHtml(summary, linksFrom)],
  ]);
  return path;
}

/** Removes a scenario's earlier reports (it passes now), and its folder when nothing else is in it. */
export async function removeReports(dir: string, slugName: string): Promise<void> {
  const folder = join(dir, slugName);
  try {
    for (const name of REPORT_FILES) await rm(join(folder, name), { force: true });
    await rmdir(folder).catch(() => undefined);
  } catch (error) {
    throw new ReportDirError(folder, error);
  }
}

/** Fails early, naming the directory, when reports could not be written there. Creates it if missing. */
export async function ensureWritableDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const probe = join(dir, tempName('.interleave-probe'));
    await writeFile(probe, '');
    await unlink(probe);
  } catch (error) {
    throw new ReportDirError(dir, error);
  }
}

let counter = 0;
function tempName(path: string): string {
  return `${path}.${process.pid}.${++counter}.tmp`;
}

async function writeAtomically(folder: string, files: readonly (readonly [path: string, content: string])[]): Promise<void> {
  let created: string | undefined;
  const temps: string[] = [];
  try {
    created = await mkdir(folder, { recursive: true });
    for (const [path, content] of files) {
      const temp = tempName(path);
      temps.push(temp);
      await writeFile(temp, content);
    }
    for (let i = 0; i < files.length; i++) await rename(temps[i]!, files[i]![0]);
  } catch (error) {
    await Promise.all(temps.map((temp) => unlink(temp).catch(() => undefined)));
    if (created !== undefined) await rmdir(folder).catch(() => undefined);
    throw new ReportDirError(folder, error);
  }
}

function why(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOTDIR':
      return 'part of that path is a file, not a directory';
    case 'EEXIST':
      return 'a file of that name is in the way';
    case 'EISDIR':
      return 'a directory is in the way of a report file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

