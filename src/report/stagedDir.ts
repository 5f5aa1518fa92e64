import { constants } from 'node:fs';
import { access, lstat, mkdir, mkdtemp, readdir, readlink, realpath, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ReportDirError, REPORT_FILES, INDEX_FILE, SUMMARY_FILE } from './write.ts';

/**
 * A run's report directory, built beside the real one and moved into it
 * when the run is done. Until `commit`, nothing of the run is visible;
 * `discard` (bad input, a second Ctrl-C) leaves the directory as it was,
 * and no empty directory behind.
 *
 * The directory itself is never removed or replaced, so a reader polling it
 * never finds it missing, and whatever is in it that Interleave did not
 * write (a README.md, a .gitkeep, a symbolic link, an empty folder, a FIFO)
 * stays as it is. `commit` moves each new file into place with one rename
 * over the old one, so every file a reader opens is whole: the scenarios'
 * report folders first, then index.html and summary.json, then the report
 * folders of scenarios that no longer failed are removed. A `--report-dir`
 * that is a symbolic link stays one: its target's contents are updated.
 *
 * The stage's name carries the process id: a run killed where it could not
 * clean up (SIGKILL, a power cut) leaves its stage behind, and the next run
 * beside it removes the stages of processes that are gone.
 */
export class StagedReportDir {
  private constructor(
    /** The report directory as given (--report-dir). */
    readonly dir: string,
    /** Where the reports go: the directory, or the target of the symbolic link it is. */
    private readonly target: string,
    /** Where this run's reports are written until commit. */
    readonly stage: string,
    /** The first directory made to hold the stage (a missing parent), removed again by discard. */
    private readonly madeParent: string | undefined,
    private readonly cwd: string,
  ) {}

  static async create(dir: string, cwd = process.cwd()): Promise<StagedReportDir> {
    const absolute = resolve(cwd, dir);
    const target = await followLinks(absolute).catch((error: unknown) => {
      throw new ReportDirError(dir, error);
    });
    const realCwd = await realpath(cwd).catch(() => cwd);
    if (holds(absolute, cwd) || holds(target, realCwd)) {
      throw new ReportDirError(dir, undefined, 'it holds the working directory, and a run writes its report directory as a whole. Choose a directory of its own with --report-dir.');
    }
    const info = await stat(target).catch(() => undefined);
    if (info !== undefined && !info.isDirectory()) throw new ReportDirError(dir, Object.assign(new Error('not a directory'), { code: 'EEXIST' }));
    if (info !== undefined) await probeWritable(dir, target);
    const parent = dirname(target);
    await removeDeadStages(parent, basename(target));
    const prefix = join(parent, `${stagePrefix(basename(target))}${process.pid}-`);
    let madeParent: string | undefined;
    try {
      // The parent is made only when missing: mkdir would blame a file in the way of it less clearly than mkdtemp does.
      const stage = await mkdtemp(prefix).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
        madeParent = await mkdir(parent, { recursive: true });
        return mkdtemp(prefix);
      });
      return new StagedReportDir(dir, target, stage, madeParent, cwd);
    } catch (error) {
      if (madeParent !== undefined) await rm(madeParent, { recursive: true, force: true });
      throw new ReportDirError(dir, error);
    }
  }

  /**
   * Where `path` (relative to the working directory) lies inside the report
   * directory, as a path relative to it; undefined when it lies outside.
   */
  inside(path: string): string | undefined {
    const absolute = resolve(this.cwd, path);
    for (const root of [resolve(this.cwd, this.dir), this.target]) {
      const rel = relative(root, absolute);
      if (rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel)) return rel;
    }
    return undefined;
  }

  /** Puts this run's reports in the directory, leaving what is not Interleave's as it is. */
  async commit(): Promise<void> {
    try {
      // No directory yet: the stage becomes it, whole, in one rename.
      const created = await rename(this.stage, this.target).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOTEMPTY' || error.code === 'EEXIST' || error.code === 'ENOTDIR' || error.code === 'EISDIR') return false;
          throw error;
        },
      );
      if (created) return;
      const moves = await planMoves(this.stage, this.target);
      const previous = await previousReportFolders(this.target, new Set(await readdir(this.stage)));
      for (const [from, to] of moves) await rename(from, to);
      for (const folder of previous) await rm(join(this.target, folder), { recursive: true, force: true });
      await rm(this.stage, { recursive: true, force: true });
    } catch (error) {
      await this.discard();
      throw error instanceof ReportDirError ? error : new ReportDirError(this.dir, error);
    }
  }

  /** Forgets this run's reports: the directory stays as it was. */
  async discard(): Promise<void> {
    await rm(this.stage, { recursive: true, force: true });
    if (this.madeParent !== undefined) await rmEmptyUpTo(dirname(this.stage), this.madeParent);
  }
}

/** `.reports.interleave-`: what every stage of the report directory `reports` is named from, before `<pid>-<random>`. */
function stagePrefix(name: string): string {
  return `.${name}.interleave-`;
}

/** True when `inner` is `outer` or lies inside it. */
function holds(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The path with every symbolic link along it followed, as far as it exists; a link to a path not made yet leads there. */
async function followLinks(path: string): Promise<string> {
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    const real = await realpath(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (real !== undefined) return real;
    const link = await readlink(current).catch(() => undefined);
    if (link === undefined) {
      // Missing: its parent may still be a link.
      const parent = dirname(current);
      return parent === current ? current : join(await followLinks(parent), basename(current));
    }
    current = resolve(dirname(current), link);
  }
  throw Object.assign(new Error('too many levels of symbolic links'), { code: 'ELOOP' });
}

/** A report directory the run could not write into is refused before exploring, not after. */
async function probeWritable(dir: string, target: string): Promise<void> {
  await access(target, constants.W_OK).catch((error: unknown) => {
    throw new ReportDirError(dir, error);
  });
}

/** Removes the stages beside the report directory that runs now gone left behind (killed with SIGKILL, say). */
async function removeDeadStages(parent: string, name: string): Promise<void> {
  const prefix = stagePrefix(name);
  const entries = await readdir(parent).catch(() => []);
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const pid = /^(\d+)-[^-]+$/.exec(entry.slice(prefix.length))?.[1];
    if (pid === undefined || isAlive(Number(pid))) continue;
    await rm(join(parent, entry), { recursive: true, force: true }).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The renames that put the stage's entries in the directory: a folder that
 * is not there yet goes whole, one that is has its files renamed into it,
 * a file replaces the file of its name. The summary and the index go last,
 * so that what they name is in place before them. Checked whole before any
 * rename: a file where a folder goes, or a folder where a file goes, is
 * refused with nothing moved.
 */
async function planMoves(stage: string, target: string): Promise<[string, string][]> {
  const moves: [string, string][] = [];
  const walk = async (from: string, to: string, shown: string): Promise<void> => {
    const names = (await readdir(from)).sort((a, b) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) {
      const source = await lstat(join(from, name));
      const there = await lstat(join(to, name)).catch(() => undefined);
      const path = join(shown, name);
      if (there === undefined) {
        moves.push([join(from, name), join(to, name)]);
      } else if (source.isDirectory()) {
        if (!there.isDirectory()) throw new ReportDirError(path, undefined, `it is in the way of a report folder of this run. Move it, or choose another directory with --report-dir.`);
        await walk(join(from, name), join(to, name), path);
      } else {
        if (there.isDirectory()) throw new ReportDirError(path, undefined, 'a directory is in the way of a report file of this run. Move it, or choose another directory with --report-dir.');
        moves.push([join(from, name), join(to, name)]);
      }
    }
  };
  await walk(stage, target, target);
  return moves;
}

/** The summary and the index last, the summary after the index: a reader that starts from it finds the rest in place. */
function order(name: string): number {
  return name === SUMMARY_FILE ? 2 : name === INDEX_FILE ? 1 : 0;
}

/** The report folders of an earlier run that this run does not write: folders holding report files and nothing else. */
async function previousReportFolders(target: string, kept: ReadonlySet<string>): Promise<string[]> {
  const folders: string[] = [];
  for (const entry of await readdir(target, { withFileTypes: true })) {
    if (!entry.isDirectory() || kept.has(entry.name)) continue;
    const inside = await readdir(join(target, entry.name), { withFileTypes: true }).catch(() => undefined);
    if (inside === undefined || inside.length === 0) continue;
    if (inside.every((file) => file.isFile() && (REPORT_FILES as readonly string[]).includes(file.name))) folders.push(entry.name);
  }
  return folders;
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
