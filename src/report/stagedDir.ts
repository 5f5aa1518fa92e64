import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { ReportDirError, REPORT_FILES, INDEX_FILE, SUMMARY_FILE } from './write.ts';
import { SUMMARY_SCHEMA } from './summary.ts';

/**
 * A run's report directory, built beside the real one and swapped into its
 * place when the run is done, so that a reader sees the previous run's
 * reports or this run's, never a mix of both, and the folders of scenarios
 * no longer explored go with the previous run. Until `commit`, nothing of
 * the run is visible; `discard` (bad input, a second Ctrl-C) leaves the
 * directory as it was, and no empty directory behind.
 *
 * Files that are not Interleave's (a README.md, a .gitkeep) are carried
 * over into the new directory. A directory inside it that is not a report
 * folder, or a report directory that holds the working directory, is
 * refused: replacing it would take away something that is not ours.
 */
export class StagedReportDir {
  private constructor(
    /** The report directory as given (--report-dir). */
    readonly dir: string,
    /** Where this run's reports are written until commit. */
    readonly stage: string,
    /** The first directory made to hold the stage (a missing parent), removed again by discard. */
    private readonly madeParent: string | undefined,
  ) {}

  static async create(dir: string, cwd = process.cwd()): Promise<StagedReportDir> {
    const absolute = resolve(cwd, dir);
    const fromDir = relative(absolute, cwd);
    if (fromDir === '' || (!fromDir.startsWith('..') && !isAbsolute(fromDir))) {
      throw new ReportDirError(dir, undefined, 'it holds the working directory, and a run replaces its report directory as a whole. Choose a directory of its own with --report-dir.');
    }
    const info = await stat(dir).catch(() => undefined);
    if (info !== undefined && !info.isDirectory()) throw new ReportDirError(dir, Object.assign(new Error('not a directory'), { code: 'EEXIST' }));
    await checkOwnContent(dir);
    const parent = dirname(absolute);
    const prefix = join(parent, `.${basename(absolute)}.interleave-`);
    let madeParent: string | undefined;
    try {
      // The parent is made only when missing: mkdir would blame a file in the way of it less clearly than mkdtemp does.
      const stage = await mkdtemp(prefix).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
        madeParent = await mkdir(parent, { recursive: true });
        return mkdtemp(prefix);
      });
      return new StagedReportDir(dir, stage, madeParent);
    } catch (error) {
      if (madeParent !== undefined) await rm(madeParent, { recursive: true, force: true });
      throw new ReportDirError(dir, error);
    }
  }

  /** Puts this run's reports in the directory's place, carrying over what was not Interleave's. */
  async commit(): Promise<void> {
    const old = `${this.stage}-old`;
    let moved = false;
    try {
      for (const name of await foreignFiles(this.dir)) await copyFile(join(this.dir, name), join(this.stage, name));
      moved = await rename(this.dir, old).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return false;
          throw error;
        },
      );
      await rename(this.stage, this.dir);
    } catch (error) {
      if (moved) await rename(old, this.dir).catch(() => undefined);
      await this.discard();
      throw new ReportDirError(this.dir, error);
    }
    if (moved) await rm(old, { recursive: true, force: true });
  }

  /** Forgets this run's reports: the directory stays as it was. */
  async discard(): Promise<void> {
    await rm(this.stage, { recursive: true, force: true });
    if (this.madeParent !== undefined) await rmEmptyUpTo(dirname(this.stage), this.madeParent);
  }
}

/** An entry of the report directory that Interleave wrote: the summary, the index, a scenario's report folder. */
async function isOurs(dir: string, name: string, isDirectory: boolean): Promise<boolean> {
  if (!isDirectory) return name === SUMMARY_FILE || name === INDEX_FILE || name.endsWith('.tmp');
  const inside = await readdir(join(dir, name)).catch(() => undefined);
  return inside !== undefined && inside.every((file) => (REPORT_FILES as readonly string[]).includes(file) || file.endsWith('.tmp'));
}

async function checkOwnContent(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.isDirectory() && !(await isOurs(dir, entry.name, true))) {
      const summary = await readFile(join(dir, SUMMARY_FILE), 'utf8').catch(() => '');
      const why = summary.includes(SUMMARY_SCHEMA) ? `its folder '${entry.name}' holds files that are not Interleave reports` : `it holds '${entry.name}/', which is not an Interleave report folder`;
      throw new ReportDirError(dir, undefined, `${why}, and a run replaces its report directory as a whole. Choose a directory of its own with --report-dir.`);
    }
  }
}

async function foreignFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names: string[] = [];
  for (const entry of entries) if (entry.isFile() && !(await isOurs(dir, entry.name, false))) names.push(entry.name);
  return names;
}

/** Removes `from` and its parents up to `top` while they are empty: what create() made for the stage. */
async function rmEmptyUpTo(from: string, top: string): Promise<void> {
  for (let dir = from; ; dir = dirname(dir)) {
    const removed = await rmdir(dir).then(
      () => true,
      () => false,
    );
    if (!removed || dir === top || dirname(dir) === dir) return;
  }
}
