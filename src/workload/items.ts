/** The values JavaScript most easily confuses with "nothing": the first producer puts these first. */
export const TRICKY_ITEMS: readonly unknown[] = [undefined, null, 0, '', false, NaN];

/** Producer p's i-th item: a tricky value for the first producer's first items, else a distinct object. */
export function itemFor(producer: number, index: number): unknown {
  if (producer === 0 && index < TRICKY_ITEMS.length) return TRICKY_ITEMS[index];
  return { producer, index };
}

/** With T items in all and c consumers, consumer j takes ⌊T/c⌋ items and the first T mod c take one more. */
export function takesFor(consumer: number, total: number, consumers: number): number {
  return Math.floor(total / consumers) + (consumer < total % consumers ? 1 : 0);
}
