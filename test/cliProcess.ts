/**
 * Running the CLI from the CLI suites, and looking at what it left on disk. `cli` runs the command in this
 * process: `runCli`, the entry bin/interleave.js runs (src/cli/main.ts), with the arguments and the output
 * streams handed in. Its scenario files still load and explore in worker threads of its own pool, as in the
 * bin; what it saves is a process and its TypeScript loader per run. `cliProcess` and `startCli` run the
 * real bin, as a user would: for what needs a process of its own (environment variables, signals, a
 * terminal, what the scenarios print to the process's stdout, the process ending on its own with its
 * exit code), and for a few end-to-end runs of every command.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pc from 'picocolors';
import { afterAll } from 'vitest';
import type { Output } from '../src/cli/output.ts';
import { runCli } from '../src/cli/program.ts';

export const ROOT = resolve(import.meta.dirname, '..');
export const SUITE = 'test/fixtures/cli/suite';
export const BUGGY = `${SUITE}/buggy.ts`;
export const CORRECT = `${SUITE}/correct.ts`;

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of a CLI child: no colour forced, no seed or progress setting of ours leaking in. */
export function childEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env };
  delete out.FORCE_COLOR;
  delete out.INTERLEAVE_SEED;
  delete out.INTERLEAVE_PROGRESS_MS;
  return Object.assign(out, env);
}

/**
 * Runs the command in this process, from the project's root, and resolves with its exit code and output, as
 * the bin prints them to a pipe (no colour, no progress bars). The environment is this process's: a test
 * that sets a variable for the CLI uses cliProcess.
 */
export async function cli(args: readonly string[]): Promise<Run> {
  // Each run listens for SIGINT, SIGTERM and SIGHUP while it explores (src/cli/signals.ts); a suite's concurrent tests run many at once.
  if (process.getMaxListeners() < 100) process.setMaxListeners(100);
  if (process.cwd() !== ROOT) throw new Error(`the CLI runs in-process from the project's root, and the tests run from ${process.cwd()}`);
  let stdout = '';
  let stderr = '';
  const colors = pc.createColors(false);
  const io: Output = { out: (text) => void (stdout += text), err: (text) => void (stderr += text), outColors: colors, errColors: colors };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** Runs the real bin in a process of its own, from the project's root, and resolves with its exit code and output. */
export function cliProcess(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done) => {
    execFile('node', ['bin/interleave.js', ...args], { cwd: ROOT, env: childEnv(env), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      done({ code, stdout, stderr });
    });
  });
}

/** Starts the real bin and hands back the process, for tests that signal it or read it as it goes. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn('node', ['bin/interleave.js', ...args], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
}

const temps: string[] = [];
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'interleave-cli-'));
  temps.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The files a failing scenario's folder holds, relative to the report directory. */
export function reportFiles(folder: string): string[] {
  return ['failure.txt', 'trace.html', 'trace.json', 'trace.mmd'].map((name) => `${folder}/${name}`);
}

/** Every file under `dir`, relative to it, sorted; [] when `dir` does not exist. */
export async function filesUnder(dir: string): Promise<string[]> {
  const exists = await stat(dir).then(
    () => true,
    () => false,
  );
  if (!exists) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

/** Every entry (file or directory) directly in `dir`, sorted. */
export async function entriesOf(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [])).sort();
}

/**
 * Runs the CLI expecting exit 2: stderr is one paragraph naming the culprit, and the report directory holds
 * nothing at all. In-process, unless `env` sets variables for it or `process` asks for the real bin.
 */
export async function rejects(args: readonly string[], reports: string, { env, process: own = false }: { env?: NodeJS.ProcessEnv; process?: boolean } = {}): Promise<string> {
  const argv = [...args, '--report-dir', reports];
  const run = own || env !== undefined ? await cliProcess(argv, env) : await cli(argv);
  if (run.code !== 2) throw new Error(`expected exit 2, got ${run.code}: ${run.stderr}`);
  if (!/^interleave: /.test(run.stderr)) throw new Error(`stderr does not start with 'interleave: ': ${run.stderr}`);
  if (run.stderr.trim().includes('\n\n')) throw new Error(`stderr is more than one paragraph: ${run.stderr}`);
  const left = await filesUnder(reports);
  if (left.length > 0 || (await stat(reports).then(() => true, () => false))) throw new Error(`exit 2 left ${reports} behind: ${left.join(', ')}`);
  return run.stderr;
}
