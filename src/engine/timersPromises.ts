import type * as TimersPromises from 'node:timers/promises';
import { currentStore, type ContextStore } from './context.ts';

type Options = { readonly signal?: AbortSignal; readonly ref?: boolean } | undefined;

/** Read through a function: the signal changes under the code that awaits. */
function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** Node's AbortError, as `node:timers/promises` rejects with it. */
function abortError(signal: AbortSignal): Error {
  const error = new Error('The operation was aborted', { cause: signal.reason }) as Error & { code: string };
  error.name = 'AbortError';
  error.code = 'ABORT_ERR';
  return error;
}

/** A promise settled by a virtual timer, or rejected when `signal` aborts first. */
function virtualTimer<T>(store: ContextStore, kind: 'timeout' | 'immediate', delay: unknown, value: T, options: Options): Promise<T> {
  const signal = options?.signal;
  if (signal?.aborted === true) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      store.clock.clear(handle);
      reject(abortError(signal!));
    };
    const handle = store.clock.create(
      kind,
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      },
      delay,
      [],
      store,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Node's interval iterator: each firing is yielded once, however late it is consumed. */
async function* virtualInterval<T>(store: ContextStore, delay: unknown, value: T, options: Options): AsyncGenerator<T, void, unknown> {
  const signal = options?.signal;
  if (signal?.aborted === true) throw abortError(signal);
  let fired = 0;
  let wake: (() => void) | undefined;
  const handle = store.clock.create(
    'interval',
    () => {
      fired++;
      wake?.();
      wake = undefined;
    },
    delay,
    [],
    store,
  );
  const onAbort = (): void => {
    wake?.();
    wake = undefined;
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (fired === 0 && !aborted(signal)) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      if (aborted(signal)) throw abortError(signal!);
      fired--;
      yield value;
    }
  } finally {
    store.clock.clear(handle);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** `node:timers/promises`, routed: inside an execution its timers are the execution's virtual ones; elsewhere Node's own. */
export function virtualTimersPromises(original: typeof TimersPromises) {
  const realSetTimeout = original.setTimeout;
  const realSetImmediate = original.setImmediate;
  const realSetInterval = original.setInterval;
  const realWait = original.scheduler.wait.bind(original.scheduler);
  const realYield = original.scheduler.yield.bind(original.scheduler);
  return {
    setTimeout<T = void>(delay?: number, value?: T, options?: Options): Promise<T> {
      const store = currentStore();
      return store === undefined ? realSetTimeout(delay, value, options) : virtualTimer(store, 'timeout', delay, value as T, options);
    },
    setImmediate<T = void>(value?: T, options?: Options): Promise<T> {
      const store = currentStore();
      return store === undefined ? realSetImmediate(value, options) : virtualTimer(store, 'immediate', 0, value as T, options);
    },
    setInterval<T = void>(delay?: number, value?: T, options?: Options): AsyncIterable<T> {
      const store = currentStore();
      return store === undefined ? realSetInterval(delay, value, options) : virtualInterval(store, delay, value as T, options);
    },
    wait(delay: number, options?: Options): Promise<void> {
      const store = currentStore();
      return store === undefined ? realWait(delay, options) : virtualTimer(store, 'timeout', delay, undefined, options);
    },
    yield(): Promise<void> {
      const store = currentStore();
      return store === undefined ? realYield() : virtualTimer(store, 'immediate', 0, undefined, undefined);
    },
  };
}
