/**
 * The Node versions users run (issue 14, item 16): .ci/run also runs the
 * engine, conformance, CLI and package suites on Node 22 and 24 — installed
 * from the registry into a cache outside the repository — and the package
 * test with vitest 5 on Node 24; `engines` and the README name the versions
 * tested. (.ci/run itself takes minutes: this checks what it is made of, and
 * the count it ends with.)
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cliProcess.ts';

const ci = await readFile(join(ROOT, '.ci/run'), 'utf8');
const code = ci
  .split('\n')
  .filter((line) => !line.trimStart().startsWith('#'))
  .join('\n');

describe('.ci/run', () => {
  it('installs Node 22 and 24 from the registry package node-linux-<arch>@<major> into a cache outside the repository', () => {
    expect(code).toMatch(/for major in 22 24; do/);
    expect(code).toMatch(/npm install --prefix "\$prefix" [^\n]*"node-linux-\$arch@\$major"/);
    expect(code).toMatch(/cache="\$\{INTERLEAVE_NODE_CACHE:-\$HOME\/\.cache\/interleave-node\}"/);
    expect(code).toMatch(/bin="\$prefix\/node_modules\/node-linux-\$arch\/bin"/);
  });

  it('runs the engine, conformance and CLI suites and the package test on each, with vitest 5 on Node 24, besides npm test on the Node on PATH', () => {
    expect(code).toMatch(/npm test -- --reporter=default --reporter=json/);
    expect(code).toMatch(/env PATH="\$bin:\$PATH" npx vitest run test\/engine\/ test\/conformance\.test\.ts test\/cli\. test\/library\.cli\.test\.ts/);
    expect(code).toMatch(/env PATH="\$bin:\$PATH" npm run test:package -- --report "\$reports\/package-\$major\.json" --vitest "\$vitest"/);
    expect(code).toMatch(/vitest=\$\(\[ "\$major" = 24 \] && echo 5 \|\| echo '~4\.1'\)/);
  });

  it('prints which versions ran and ends with one "N passed, N failed" line counting every report, a missing one as a failure', async () => {
    const script = /node -e '\n([\s\S]*?)\n' "\$\{expected\[@\]\}"/.exec(ci)?.[1];
    expect(script, 'the counting script').toBeDefined();
    const dir = await (await import('node:fs/promises')).mkdtemp(join((await import('node:os')).tmpdir(), 'interleave-ci-'));
    const write = (name: string, value: unknown) => (import('node:fs/promises')).then((fs) => fs.writeFile(join(dir, name), JSON.stringify(value)));
    await write('vitest.json', { numPassedTests: 10, numFailedTests: 1, numRuntimeErrorTests: 0, success: false });
    await write('package-20.json', { passed: 18, failed: 0, node: 'v20.20.2', vitest: '~4.1', vitestVersion: '4.1.12' });
    await write('package-24.json', { passed: 17, failed: 1, node: 'v24.22.3', vitest: '5', vitestVersion: '5.1.2' });
    const files = ['vitest.json', 'package-20.json', 'package-24.json', 'missing.json'].map((f) => join(dir, f));
    const out = await new Promise<{ code: number; stdout: string }>((done) =>
      execFile('node', ['-e', script!, ...files], (error, stdout) => done({ code: error === null ? 0 : (error.code as number), stdout })),
    );
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('45 passed, 3 failed');
    expect(lines.at(-2)).toBe('Node versions that ran: v20.20.2 (package test with vitest 4.1.12), v24.22.3 (package test with vitest 5.1.2)');
    expect(out.code).toBe(1);
  });
});

describe('the versions tested', () => {
  it('are what engines says, and what the README lists', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe('^20.19.0 || ^22.12.0 || ^24.0.0');
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/Tested on Node 20, 22 and 24 \(`engines`:\n`\^20\.19\.0 \|\| \^22\.12\.0 \|\| \^24\.0\.0`\), with vitest 4\.1 and 5/);
  });
});
