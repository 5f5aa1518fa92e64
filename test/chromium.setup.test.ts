/**
 * `npm test` on a fresh machine (issue 14, item 14): the browser suite needs
 * Chromium. The test command brings it itself where it can (its pretest
 * step: Debian's chromium through apt-get, as root or through a sudo that
 * asks for no password, as .ci/run does), and otherwise says what to
 * install; the README's quick start says so.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureChromium, locateChromium, type ChromiumHost } from './browser/ensureChromium.ts';
import { ROOT } from './cliProcess.ts';

/** A machine as the script sees it: which files exist, which commands are on PATH, who we are, and what runs. */
function machine(options: { files?: string[]; commands?: string[]; uid?: number; sudo?: boolean; aptInstalls?: boolean; env?: Record<string, string> }) {
  const files = new Set(options.files ?? []);
  const commands = new Map((options.commands ?? []).map((c) => [c, `/usr/bin/${c}`]));
  const ran: string[] = [];
  const said: string[] = [];
  const host: ChromiumHost = {
    env: options.env ?? {},
    uid: options.uid ?? 1000,
    exists: (path) => files.has(path),
    which: (command) => commands.get(command),
    run: (command, args, env) => {
      ran.push([env?.DEBIAN_FRONTEND === undefined ? '' : `DEBIAN_FRONTEND=${env.DEBIAN_FRONTEND}`, command, ...args].filter((w) => w !== '').join(' '));
      if (command === 'sudo' && args[0] === '-n' && args[1] === 'true') return options.sudo === true ? 0 : 1;
      if (args.includes('install') && options.aptInstalls !== false) files.add('/usr/bin/chromium');
      return args.includes('install') && options.aptInstalls === false ? 100 : 0;
    },
    log: (line) => said.push(line),
  };
  return { host, ran, said: () => said.join('\n') };
}

describe('the pretest step', () => {
  it('is what `npm test` runs first, and the README quick start says the tests need Chromium', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.pretest).toBe('tsx test/browser/ensureChromium.ts');
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Installing'));
    expect(quickStart).toMatch(/Chromium/);
    expect(quickStart).toMatch(/apt-get install -y chromium/);
    expect(quickStart).toMatch(/INTERLEAVE_CHROMIUM/);
  });

  it('does nothing when Chromium is there', () => {
    const m = machine({ files: ['/usr/bin/chromium'], commands: ['apt-get'], uid: 0 });
    expect(ensureChromium(m.host)).toEqual({ status: 'present', path: '/usr/bin/chromium' });
    expect(m.ran).toEqual([]);
  });

  it('installs Debian\'s chromium when it is missing and apt-get can run: as root', () => {
    const m = machine({ commands: ['apt-get'], uid: 0 });
    expect(ensureChromium(m.host)).toEqual({ status: 'installed', path: '/usr/bin/chromium' });
    expect(m.ran).toEqual(['DEBIAN_FRONTEND=noninteractive apt-get update', 'DEBIAN_FRONTEND=noninteractive apt-get install -y chromium']);
    expect(m.said()).toMatch(/installing Debian's chromium/);
  });

  it('or through sudo, when it asks for no password', () => {
    const m = machine({ commands: ['apt-get', 'sudo'], uid: 1000, sudo: true });
    expect(ensureChromium(m.host).status).toBe('installed');
    expect(m.ran).toEqual(['sudo -n true', 'DEBIAN_FRONTEND=noninteractive sudo -n apt-get update', 'DEBIAN_FRONTEND=noninteractive sudo -n apt-get install -y chromium']);
  });

  it('otherwise says what to install, and lets the tests run (the browser suite then fails, saying the same)', () => {
    for (const m of [machine({ commands: ['apt-get', 'sudo'], sudo: false }), machine({ commands: [] }), machine({ commands: ['apt-get'], uid: 0, aptInstalls: false })]) {
      expect(ensureChromium(m.host).status).toBe('missing');
      expect(m.said()).toMatch(/The browser suite \(test\/browser\/\) needs Chromium/);
      expect(m.said()).toMatch(/apt-get install -y chromium/);
      expect(m.said()).toMatch(/INTERLEAVE_CHROMIUM/);
    }
  });

  it('finds Chromium where INTERLEAVE_CHROMIUM says, or on PATH, and never installs over a path the user chose', () => {
    expect(locateChromium(machine({ files: ['/opt/chrome'], env: { INTERLEAVE_CHROMIUM: '/opt/chrome' } }).host)).toBe('/opt/chrome');
    expect(locateChromium(machine({ commands: ['chromium-browser'] }).host)).toBe('/usr/bin/chromium-browser');
    const chosen = machine({ commands: ['apt-get'], uid: 0, env: { INTERLEAVE_CHROMIUM: '/opt/missing' } });
    expect(ensureChromium(chosen.host).status).toBe('missing');
    expect(chosen.ran).toEqual([]);
    expect(chosen.said()).toMatch(/INTERLEAVE_CHROMIUM is '\/opt\/missing', which does not exist/);
  });
});
