/** The `interleave` command's entry, run by bin/interleave.js (compiled, from dist/, in an installed package). */
import { processOutput } from './output.ts';
import { runCli } from './program.ts';

process.exitCode = await runCli(process.argv.slice(2), processOutput());
