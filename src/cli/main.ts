/** The `interleave` command's entry, run by bin/interleave.js through tsx so scenario files load as TypeScript. */
import { processOutput } from './output.ts';
import { runCli } from './program.ts';

process.exitCode = await runCli(process.argv.slice(2), processOutput());
