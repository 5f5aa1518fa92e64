#!/usr/bin/env node
// `npm run build` (also run by `prepare` and `prepack`): compiles src/ to dist/ with declaration files.
// dist/ is emptied first, so a module deleted from src/ is never shipped from an old build. Plain Node,
// not a shell one-liner, because `prepare` also runs on users' machines when they install from a git URL.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
