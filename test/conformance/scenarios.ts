/** The promise-world scenarios the conformance check compares with real Node. */
import type { Scenario } from 'interleave';
import promiseQueue from '../../scenarios/promise-queue.ts';
import singleWaiter from '../../scenarios/promise-queue-single-waiter.ts';
import putNoRecheck from '../../scenarios/promise-queue-put-no-recheck.ts';
import edgeWake from '../../scenarios/promise-queue-edge-wake.ts';
import checkThenWait from '../../scenarios/promise-queue-check-then-wait.ts';
import lagBehind from '../../scenarios/promise-ring-lag-behind-12.ts';
import pLimit from '../../scenarios/p-limit.ts';
import pQueue from '../../scenarios/p-queue.ts';
import asyncMutex from '../../scenarios/async-mutex.ts';
import fastq from '../../scenarios/fastq.ts';
import { handoffLock } from './fixtures.ts';

export const PROMISE_WORLD: readonly Scenario[] = [promiseQueue, singleWaiter, putNoRecheck, edgeWake, checkThenWait, lagBehind, pLimit, pQueue, asyncMutex, fastq, handoffLock];
