/**
 * `npm test`'s first step (package.json's pretest): the browser suite
 * (test/browser/) drives a real Chromium, so on a fresh machine the test
 * command brings it itself where it can — Debian's `chromium` through
 * apt-get, as root or through a sudo that asks for no password, as .ci/run
 * always did — and otherwise says what to install. It never fails the test
 * command: the other suites run either way, and the browser suite fails
 * (it never skips), saying the same.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the step sees of the machine, and does to it. */
export interface ChromiumHost {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The user id: 0 is root, who may run apt-get. */
  readonly uid: number;
  exists(path: string): boolean;
  /** Where a command is on PATH, or undefined. */
  which(command: string): string | undefined;
  /** Runs a command with its output shown; its exit code. */
  run(command: string, args: readonly string[], env?: Readonly<Record<string, string>>): number;
  log(line: string): void;
}

export type ChromiumState = { readonly status: 'present' | 'installed'; readonly path: string } | { readonly status: 'missing' };

/** Debian's package installs it here. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** What to install, said by this step and by the browser suite when Chromium is missing. */
export const HOW_TO_INSTALL =
  "The browser suite (test/browser/) needs Chromium. Install it: on Debian or Ubuntu 'sudo apt-get update && sudo apt-get install -y chromium' " +
  "(npm test does this itself when it runs as root or sudo needs no password); elsewhere, point INTERLEAVE_CHROMIUM at a Chromium or Chrome binary " +
  "(such as INTERLEAVE_CHROMIUM=\"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome\"). Until then its tests fail; the other suites run as usual.";

/** The Chromium the browser suite will drive: INTERLEAVE_CHROMIUM when set (existing or not), else Debian's, else one on PATH. */
export function locateChromium(host: Pick<ChromiumHost, 'env' | 'exists' | 'which'>): string | undefined {
  const chosen = host.env.INTERLEAVE_CHROMIUM;
  if (chosen !== undefined && chosen !== '') return host.exists(chosen) ? chosen : undefined;
  if (host.exists(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  for (const command of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    const found = host.which(command);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function ensureChromium(host: ChromiumHost): ChromiumState {
  const present = locateChromium(host);
  if (present !== undefined) return { status: 'present', path: present };
  const chosen = host.env.INTERLEAVE_CHROMIUM;
  if (chosen !== undefined && chosen !== '') {
    // The user chose that path: installing Debian's elsewhere would not be what the suite drives.
    host.log(`INTERLEAVE_CHROMIUM is '${chosen}', which does not exist. ${HOW_TO_INSTALL}`);
    return { status: 'missing' };
  }
  const asRoot = host.uid === 0;
  const sudo = !asRoot && host.which('sudo') !== undefined && host.run('sudo', ['-n', 'true']) === 0;
  if (host.which('apt-get') !== undefined && (asRoot || sudo)) {
    host.log("Chromium is missing, and the browser suite needs it: installing Debian's chromium (apt-get update && apt-get install -y chromium).");
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    const apt = (...args: string[]): number => (sudo ? host.run('sudo', ['-n', 'apt-get', ...args], env) : host.run('apt-get', args, env));
    if (apt('update') === 0 && apt('install', '-y', 'chromium') === 0) {
      const installed = locateChromium(host);
      if (installed !== undefined) return { status: 'installed', path: installed };
    }
    host.log(`Installing chromium with apt-get did not work (see above). ${HOW_TO_INSTALL}`);
    return { status: 'missing' };
  }
  host.log(HOW_TO_INSTALL);
  return { status: 'missing' };
}

/** The machine this runs on. */
export const realHost: ChromiumHost = {
  env: process.env,
  uid: process.getuid?.() ?? -1,
  exists: existsSync,
  which: (command) =>
    (process.env.PATH ?? '')
      .split(delimiter)
      .filter((dir) => dir !== '')
      .map((dir) => join(dir, command))
      .find((path) => existsSync(path)),
  run: (command, args, env) => spawnSync(command, [...args], { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1,
  log: (line) => console.error(`pretest: ${line}`),
};

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) ensureChromium(realHost);
