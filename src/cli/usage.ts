import { InvalidArgumentError } from 'commander';

/**
 * Bad input the user can fix: a file, an option, a token, a directory. The
 * CLI prints its message as one paragraph and exits 2, having written nothing.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

function whole(flag: string, unit: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (text: string): number => {
    const value = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
      throw new InvalidArgumentError(`${flag} must be a whole number${unit === undefined ? '' : ` of ${unit}`}, ${range}.`);
    }
    return value;
  };
}

export const parseRuns = whole('--runs', 'executions', 1);
export const parseMaxSteps = whole('--max-steps', 'steps', 1);
export const parseSeed = whole('--seed', undefined, 0, 0xffffffff);
export const parseTimeLimit = whole('--time-limit', 'milliseconds', 1);
export const parsePreemptions = whole('--preemptions', 'preemptions', 0);
export const parseDepth = whole('--depth', undefined, 1, 64);
export const parseStartTime = whole('--start-time', 'epoch milliseconds', 0, 8.64e15);
export const parseWorkers = whole('--workers', 'worker threads', 1, 256);
export const parseLoadTimeout = whole('--load-timeout', 'milliseconds', 1);
export const parseStepTimeout = whole('--step-timeout', 'milliseconds', 1);
/** Below a few MB a worker cannot even load the harness. */
export const parseWorkerHeapMb = whole('--worker-heap-mb', 'megabytes', 16, 1 << 20);
const parseOutcomeCount = whole('--outcomes', 'rows', 1);
/** --outcomes: a number of rows, or `all`. */
export function parseOutcomes(text: string): number {
  return text.trim() === 'all' ? Infinity : parseOutcomeCount(text);
}

/** `--shard i/n`, as vitest and playwright write it: the i-th of n shards, counted from 1. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match === null ? NaN : Number(match[1]);
  const count = match === null ? NaN : Number(match[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    const why = match === null ? 'it is not of the form i/n' : count < 1 ? 'n must be 1 or more' : index < 1 ? 'shards count from 1' : `there is no shard ${index} of ${count}`;
    throw new InvalidArgumentError(`--shard must be i/n with 1 <= i <= n, such as 1/3 (${why}).`);
  }
  return { index, count };
}
