/**
 * async-mutex 0.3.2 (known bug, installed as async-mutex-buggy): the
 * scenario of async-mutex.ts. Its CHANGELOG, under 0.4.0 (2022-09-02),
 * "Only resolve waitForUnlock once no waiters remain (fixes #52)": in 0.3.2
 * `release()` resolves the unlock waiters and then, in the same synchronous
 * call, hands the mutex to the next queued acquirer, so a `waitForUnlock()`
 * caller resumes while the mutex is locked again (issue #52: "this throws
 * the error all the time" when another task is queued). The invariant
 * reports the watcher resuming while the mutex is locked.
 */
import * as buggy from 'async-mutex-buggy';
import { asyncMutexScenario } from './async-mutex.ts';

export const library = { name: 'async-mutex', release: '0.3.2', does: 'waitForUnlock resolves while a queued waiter holds the lock (fixed in 0.4.0)', expected: 'invariant', shows: /resumed from waitForUnlock\(\) at \d+ ms while the mutex is locked/ } as const;

export default asyncMutexScenario('async-mutex 0.3.2', buggy, 'invariant');
