#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so scenario files (.ts) load directly with no build step.
// Both of tsx's hooks: a .ts file in a CommonJS package goes through require(), and without the
// CommonJS hook Node would see TypeScript there and fail with an unrelated require() cycle error.
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register } from 'tsx/esm/api';

register();
registerCommonJs();
await import('../src/cli/main.ts');
