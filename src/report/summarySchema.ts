import { basename, dirname, posix, win32 } from 'node:path';
import { isFailureKind } from '../trace/index.ts';
import { SUMMARY_SCHEMA, SUMMARY_SCHEMA_VERSION, type RunSummary } from './summary.ts';
import { TEXT_REPORT } from './write.ts';

/** A summary.json that is not what `interleave explore` writes; the message names the field and what is wrong with it. */
export class SummarySchemaError extends Error {
  override name = 'SummarySchemaError';
  constructor(
    /** Where the field is, such as `scenarios[2].expected`. */
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}

/** The field a SummarySchemaError names when the summary itself is not an object. */
export const WHOLE_SUMMARY = 'the summary';

const OUTCOME_GRADES = ['acceptable', 'interesting', 'forbidden', 'unclassified'];

/**
 * Checks that a parsed summary.json has the shape RunSummary declares, field
 * by field, before anything reads it: a summary edited by hand, damaged, or
 * written by something else is refused naming the first field that is wrong,
 * instead of failing deep inside the merge. Fields it does not know are let
 * through (a newer Interleave may add some). A report path must name a
 * folder beside the summary: `x/../failure.txt` would reach outside it.
 */
export function checkSummary(value: unknown): RunSummary {
  const run = object(value, WHOLE_SUMMARY);
  if (run.schema !== SUMMARY_SCHEMA) throw new SummarySchemaError('schema', `is ${shown(run.schema)}, not '${SUMMARY_SCHEMA}'`);
  if (run.version !== SUMMARY_SCHEMA_VERSION) throw new SummarySchemaError('version', `is ${shown(run.version)}, not ${SUMMARY_SCHEMA_VERSION}`);
  boolean(run, 'ok', 'ok');
  count(run, 'passed', 'passed');
  count(run, 'failed', 'failed');
  if (!Array.isArray(run.scenarios)) throw new SummarySchemaError('scenarios', `is ${shown(run.scenarios)}, not a list of scenarios`);
  run.scenarios.forEach((entry, i) => checkScenario(entry, `scenarios[${i}]`));
  optional(run, 'seed', 'seed', (v, f) => seed(v, f));
  optional(run, 'workers', 'workers', (v, f) => whole(v, f, 1));
  optional(run, 'merged', 'merged', (v, f) => whole(v, f, 1));
  optional(run, 'elapsedMs', 'elapsedMs', (v, f) => number(v, f));
  optional(run, 'interrupted', 'interrupted', (v, f) => booleanValue(v, f));
  optional(run, 'shard', 'shard', (v, f) => {
    const shard = object(v, f);
    const index = whole(shard.index, `${f}.index`, 1);
    const total = whole(shard.count, `${f}.count`, 1);
    if (index > total) throw new SummarySchemaError(`${f}.index`, `is ${index}, more than ${f}.count (${total})`);
  });
  optional(run, 'notExplored', 'notExplored', (v, f) => {
    if (!Array.isArray(v)) throw new SummarySchemaError(f, `is ${shown(v)}, not a list`);
    v.forEach((entry, i) => {
      const skipped = object(entry, `${f}[${i}]`);
      text(skipped.scenario, `${f}[${i}].scenario`);
      optional(skipped, 'file', `${f}[${i}].file`, text);
    });
  });
  return value as RunSummary;
}

function checkScenario(value: unknown, at: string): void {
  const s = object(value, at);
  text(s.scenario, `${at}.scenario`);
  optional(s, 'file', `${at}.file`, text);
  if (s.verdict !== 'pass' && s.verdict !== 'fail' && s.verdict !== 'incomplete') {
    throw new SummarySchemaError(`${at}.verdict`, `is ${shown(s.verdict)}, not 'pass', 'fail' or 'incomplete'`);
  }
  boolean(s, 'ok', `${at}.ok`);
  if (s.expected !== 'ok') {
    if (!Array.isArray(s.expected) || s.expected.length === 0 || !s.expected.every(isFailureKind)) {
      throw new SummarySchemaError(`${at}.expected`, `is ${shown(s.expected)}, not 'ok' or a list of failure kinds`);
    }
  }
  optional(s, 'kind', `${at}.kind`, (v, f) => {
    if (!isFailureKind(v)) throw new SummarySchemaError(f, `is ${shown(v)}, not a failure kind`);
  });
  optional(s, 'step', `${at}.step`, (v, f) => whole(v, f, 0));
  optional(s, 'message', `${at}.message`, text);
  optional(s, 'replay', `${at}.replay`, text);
  whole(s.executions, `${at}.executions`, 0);
  whole(s.steps, `${at}.steps`, 0);
  optional(s, 'strategy', `${at}.strategy`, text);
  seed(s.seed, `${at}.seed`);
  number(s.elapsedMs, `${at}.elapsedMs`);
  booleanValue(s.exhausted, `${at}.exhausted`);
  optional(s, 'interrupted', `${at}.interrupted`, booleanValue);
  optional(s, 'unfinished', `${at}.unfinished`, (v, f) => whole(v, f, 0));
  optional(s, 'reports', `${at}.reports`, checkReports);
  optional(s, 'outcomes', `${at}.outcomes`, (v, f) => {
    if (!Array.isArray(v)) throw new SummarySchemaError(f, `is ${shown(v)}, not a list of outcomes`);
    v.forEach((entry, i) => {
      const row = object(entry, `${f}[${i}]`);
      text(row.outcome, `${f}[${i}].outcome`);
      whole(row.count, `${f}[${i}].count`, 0);
      number(row.frequency, `${f}[${i}].frequency`);
      if (!OUTCOME_GRADES.includes(row.expectation as string)) throw new SummarySchemaError(`${f}[${i}].expectation`, `is ${shown(row.expectation)}, not one of ${OUTCOME_GRADES.join(', ')}`);
      text(row.description, `${f}[${i}].description`);
    });
  });
  optional(s, 'proved', `${at}.proved`, booleanValue);
  optional(s, 'assumption', `${at}.assumption`, text);
  optional(s, 'partialOrders', `${at}.partialOrders`, (v, f) => whole(v, f, 0));
  optional(s, 'opaqueSteps', `${at}.opaqueSteps`, (v, f) => whole(v, f, 0));
  optional(s, 'parts', `${at}.parts`, (v, f) => {
    const parts = object(v, f);
    const of = whole(parts.of, `${f}.of`, 1);
    const from = whole(parts.from, `${f}.from`, 0);
    const to = whole(parts.to, `${f}.to`, 0);
    if (!(from < to && to <= of)) throw new SummarySchemaError(f, `runs from ${from} to ${to} of ${of}: not a range of parts`);
    optional(parts, 'failed', `${f}.failed`, (w, g) => {
      const failed = whole(w, g, 0);
      if (failed < from || failed >= to) throw new SummarySchemaError(g, `is ${failed}, not one of the parts ${from} to ${to - 1}`);
    });
  });
}

/** The report paths: strings, in one folder whose name is a plain name (what merge copies from beside the summary). */
function checkReports(value: unknown, at: string): void {
  const reports = object(value, at);
  const path = text(reports.text, `${at}.text`);
  for (const name of ['json', 'html', 'mermaid']) optional(reports, name, `${at}.${name}`, text);
  const folder = basename(dirname(path));
  const plain = folder !== '' && folder !== '.' && folder !== '..' && !/[\\/]/.test(folder);
  const parts = path.split(/[\\/]/);
  if (basename(path) !== TEXT_REPORT || !plain || parts.includes('..') || posix.isAbsolute(folder) || win32.isAbsolute(folder)) {
    throw new SummarySchemaError(`${at}.text`, `is ${shown(path)}, not <report directory>/<scenario folder>/${TEXT_REPORT} (a path that leaves the report directory is refused)`);
  }
}

function object(value: unknown, at: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SummarySchemaError(at, `is ${shown(value)}, not an object`);
  return value as Record<string, unknown>;
}

function optional(owner: Record<string, unknown>, key: string, at: string, check: (value: unknown, at: string) => unknown): void {
  if (owner[key] !== undefined) check(owner[key], at);
}

function text(value: unknown, at: string): string {
  if (typeof value !== 'string') throw new SummarySchemaError(at, `is ${shown(value)}, not a string`);
  return value;
}

function boolean(owner: Record<string, unknown>, key: string, at: string): void {
  booleanValue(owner[key], at);
}

function booleanValue(value: unknown, at: string): void {
  if (typeof value !== 'boolean') throw new SummarySchemaError(at, `is ${shown(value)}, not true or false`);
}

function count(owner: Record<string, unknown>, key: string, at: string): void {
  whole(owner[key], at, 0);
}

function number(value: unknown, at: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new SummarySchemaError(at, `is ${shown(value)}, not a number of 0 or more`);
  return value;
}

function whole(value: unknown, at: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw new SummarySchemaError(at, `is ${shown(value)}, not a whole number of ${min} or more`);
  return value;
}

function seed(value: unknown, at: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new SummarySchemaError(at, `is ${shown(value)}, not a seed (a whole number)`);
}

/** A value as the message shows it: short, and with nothing in it that a terminal would act on. */
function shown(value: unknown): string {
  if (value === undefined) return 'missing';
  const json = typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? String(value);
  const cut = json.length > 60 ? `${json.slice(0, 60)}…` : json;
  return cut.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
