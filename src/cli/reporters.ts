import { InvalidArgumentError } from 'commander';
import { UsageError } from './usage.ts';

export const REPORTER_NAMES = ['text', 'json', 'junit', 'mermaid'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];

/**
 * commander's collector for `--reporter`: repeatable and comma-separated
 * (`--reporter text,junit --reporter mermaid`), each name checked as it comes.
 */
export function collectReporters(value: string, previous: readonly ReporterName[] | undefined): ReporterName[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !(REPORTER_NAMES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError(
      `${unknown.length > 0 ? `unknown reporter ${unknown.map((n) => `'${n}'`).join(', ')}` : 'no reporter named'}: the reporters are ${REPORTER_NAMES.join(', ')} (several may be given, comma-separated or repeated).`,
    );
  }
  return [...new Set([...(previous ?? []), ...(names as ReporterName[])])];
}

/** Which reporters run, and where the per-scenario lines go. */
export interface Reporters {
  readonly text: boolean;
  readonly json: boolean;
  readonly mermaid: boolean;
  /** JUnit XML: to stdout, or to this file. */
  readonly junit: false | { readonly file?: string };
  /** Where the text lines (and progress) go: stdout, unless a machine-readable reporter has it. */
  readonly lines: 'stdout' | 'stderr';
}

/**
 * Resolves the reporters asked for: text alone by default; `--json` is text
 * (on stderr) plus json, as before `--reporter` existed; `--junit-file`
 * implies junit. At most one reporter may write to stdout besides text,
 * which then moves to stderr so stdout stays one document a machine can read.
 */
export function resolveReporters(given: readonly ReporterName[] | undefined, flags: { readonly json?: boolean; readonly junitFile?: string }): Reporters {
  const names = new Set<ReporterName>(given ?? (flags.json === true ? [] : ['text']));
  if (flags.json === true) names.add('json').add('text');
  if (flags.junitFile !== undefined) names.add('junit');
  const onStdout = [...names].filter((name) => name === 'json' || name === 'mermaid' || (name === 'junit' && flags.junitFile === undefined));
  if (onStdout.length > 1) {
    throw new UsageError(
      `the reporters ${onStdout.join(' and ')} would both write to stdout: give the JUnit XML a file with --junit-file <path>, or choose one of them.`,
    );
  }
  return {
    text: names.has('text'),
    json: names.has('json'),
    mermaid: names.has('mermaid'),
    junit: names.has('junit') ? (flags.junitFile === undefined ? {} : { file: flags.junitFile }) : false,
    lines: onStdout.length > 0 ? 'stderr' : 'stdout',
  };
}
