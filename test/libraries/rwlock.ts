/**
 * rwlock 5.0.0 (correct): `lock.readLock(cb)` / `lock.writeLock(cb)` call
 * `cb(release)` once the lock is available: any number of readers together,
 * or one writer alone, in FIFO order (a reader queues behind a waiting
 * writer). Callback code, used as its README shows — release called later,
 * from a timer or after awaits — by reader and writer threads that sleep and
 * yield while holding it.
 *
 * Checked (its documented guarantees): a writer never holds the lock with
 * anyone else (no reader, no second writer); every reader and writer gets
 * the lock exactly once; when everything is released nothing is left
 * holding it.
 */
import ReadWriteLock from 'rwlock';
import { defineScenario, type Runtime } from 'interleave';

export const library = { name: 'rwlock', release: '5.0.0', does: 'read-write lock (callback API)', expected: 'ok' } as const;

interface State {
  readonly lock: ReadWriteLock;
  readers: number;
  writers: number;
  readonly got: string[];
}

const take = (lock: ReadWriteLock, kind: 'read' | 'write') =>
  new Promise<() => void>((resolve) => (kind === 'read' ? lock.readLock((release) => resolve(release)) : lock.writeLock((release) => resolve(release))));

function user(name: string, kind: 'read' | 'write', before: (rt: Runtime) => Promise<unknown>, hold: (rt: Runtime) => Promise<unknown>) {
  return async (s: State, rt: Runtime) => {
    await before(rt);
    const release = await take(s.lock, kind);
    if (kind === 'read') s.readers++;
    else s.writers++;
    s.got.push(name);
    await hold(rt);
    await rt.yield();
    if (kind === 'read') s.readers--;
    else s.writers--;
    release();
  };
}

export default defineScenario<State>({
  name: 'rwlock',
  setup: () => ({ lock: new ReadWriteLock(), readers: 0, writers: 0, got: [] }),
  threads: {
    'reader-1': user('reader-1', 'read', (rt) => rt.yield(), (rt) => rt.sleep(6)),
    'reader-2': user('reader-2', 'read', (rt) => rt.sleep(2), () => new Promise((r) => setTimeout(r, 4))),
    'writer-1': user('writer-1', 'write', (rt) => rt.yield(), (rt) => rt.sleep(3)),
    'writer-2': user('writer-2', 'write', (rt) => rt.sleep(4), (rt) => rt.yield()),
    'reader-3': user('reader-3', 'read', () => new Promise((r) => setTimeout(r, 5)), (rt) => rt.yield()),
  },
  invariant: (s) => {
    if (s.writers > 1) return `${s.writers} writers hold the lock at once`;
    if (s.writers === 1 && s.readers > 0) return `a writer holds the lock with ${s.readers} reader(s)`;
    return true;
  },
  final: (s) => (s.got.length === 5 && new Set(s.got).size === 5 && s.readers === 0 && s.writers === 0) || `got the lock: ${s.got.join(',')}; ${s.readers} readers, ${s.writers} writers left`,
  outcome: (s) => s.got.join(','),
  expected: 'ok',
});
