import type { Condition, Mutex, Runtime, Semaphore } from '../types.ts';
import { VirtualCondition } from './condition.ts';
import { HarnessUsageError, type VirtualHost } from './host.ts';
import { VirtualMutex } from './mutex.ts';
import { VirtualSemaphore } from './semaphore.ts';
import { CLOCK, collector, WRITE } from '../../proof/collector.ts';
import { proofPoint } from '../../proof/points.ts';

/** The runtime an execution hands to the implementation under test. */
export function createVirtualRuntime(host: VirtualHost): Runtime {
  return {
    mutex(name?: string): Mutex {
      return new VirtualMutex(host, name ?? host.defaultName('mutex'));
    },
    condition(mutex: Mutex, name?: string): Condition {
      if (!(mutex instanceof VirtualMutex)) {
        throw new HarnessUsageError('rt.condition(mutex) needs a mutex made by the same runtime (rt.mutex()).');
      }
      return new VirtualCondition(host, mutex, name ?? host.defaultName('condition'));
    },
    semaphore(permits: number, name?: string): Semaphore {
      if (!Number.isInteger(permits) || permits < 0) {
        throw new HarnessUsageError(`rt.semaphore(permits) needs a whole number of permits >= 0, got ${String(permits)}.`);
      }
      return new VirtualSemaphore(host, permits, name ?? host.defaultName('semaphore'));
    },
    sleep(ms: number): Promise<void> {
      if (typeof ms !== 'number' || !(ms >= 0) || !Number.isFinite(ms)) {
        return Promise.reject(new HarnessUsageError(`rt.sleep(ms) needs a finite number of milliseconds >= 0, got ${String(ms)}.`));
      }
      return collector.on ? timerPoint(host, host.sleep(ms)) : host.sleep(ms);
    },
    yield(): Promise<void> {
      return collector.on ? timerPoint(host, host.yield()) : host.yield();
    },
    now(): number {
      return host.now();
    },
  };
}

/** Proof mode: a sleep or a yield queues a timer (the clock's queue) and gives its thread a continuation. */
function timerPoint(host: VirtualHost, point: Promise<void>): Promise<void> {
  collector.pseudo(CLOCK, 'queue', WRITE);
  return proofPoint(host.currentThread(), point);
}
