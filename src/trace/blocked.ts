import type { BlockedThread } from './model.ts';

/**
 * Who stands between a blocked thread and what it waits for, in words: a
 * lock's holder (`held by a`), or, since a semaphore has no owner, the
 * threads that could give a permit back (`which only a or b could release`).
 * Undefined when nobody is named.
 */
export function holderPhrase(b: BlockedThread): string | undefined {
  if (b.heldBy.length === 0) return undefined;
  if (waitsOnSemaphore(b)) return `which only ${b.heldBy.join(' or ')} could release`;
  return `held by ${b.heldBy.join(', ')}`;
}

/** What a blocked thread waits for and who stands in its way: `lock(a), held by b`; the reports' one phrasing. */
export function waitPhrase(b: BlockedThread): string {
  const phrase = holderPhrase(b);
  return phrase === undefined ? b.waitsFor : `${b.waitsFor}, ${phrase}`;
}

export function waitsOnSemaphore(b: BlockedThread): boolean {
  return b.waitsFor.startsWith('acquire(');
}
