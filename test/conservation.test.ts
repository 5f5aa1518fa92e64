/**
 * Conservation findings name the puts and takes involved, by thread and step,
 * and say when the item is the `undefined` a take from an empty array returns.
 */
import { describe, expect, it } from 'vitest';
import { explore } from 'interleave';
import { BufferModel } from '../src/check/bufferModel.ts';
import { conservationMonitor } from '../src/check/conservation.ts';
import ifInsteadOfWhile from '../scenarios/monitor-if-instead-of-while.ts';

const NAMES = ['producer-0', 'producer-1', 'consumer-0', 'consumer-1'];
const [P0, P1, C0, C1] = [0, 1, 2, 3];

/** Puts and takes as [thread, op, item, step it returned at]; each invoked at the step before. */
function verdictOf(ops: readonly [number, 'put' | 'take', unknown, number][]) {
  const model = new BufferModel(2);
  for (const [thread, op, item, step] of ops) model.respond(model.invoke(thread, op, op === 'put' ? item : undefined, step - 1), step, item);
  return conservationMonitor(model, true, (id) => NAMES[id]!).atEnd!({} as never);
}

describe('conservation messages', () => {
  it('a duplicated undefined: both takes and the put, and what an empty array returns', () => {
    const verdict = verdictOf([
      [P0, 'put', undefined, 3],
      [P0, 'put', null, 5],
      [C0, 'take', undefined, 7],
      [C1, 'take', undefined, 9],
    ]);
    expect(verdict).toEqual({
      kind: 'duplicate-item',
      message:
        'item undefined (the first item of producer-0, and also what a take from an empty array returns) was taken twice: ' +
        'by consumer-0 at step 7 and by consumer-1 at step 9; it was put once, by producer-0 at step 3.',
    });
  });

  it('a duplicated primitive further down a producer\'s sequence, taken three times, two of them by one thread', () => {
    const verdict = verdictOf([
      [P0, 'put', undefined, 2],
      [P0, 'put', null, 3],
      [P0, 'put', 0, 4],
      [C0, 'take', undefined, 5],
      [C0, 'take', 0, 6],
      [C1, 'take', 0, 8],
      [C0, 'take', 0, 9],
    ]);
    expect(verdict?.message).toBe('item 0 (the third item of producer-0) was taken 3 times: by consumer-0 at steps 6 and 9 and by consumer-1 at step 8; it was put once, by producer-0 at step 4.');
  });

  it('an object item speaks for itself', () => {
    const item = { producer: 1, index: 0 };
    const verdict = verdictOf([
      [P1, 'put', item, 2],
      [C0, 'take', item, 4],
      [C1, 'take', item, 6],
    ]);
    expect(verdict?.message).toBe('item {producer:1,index:0} was taken twice: by consumer-0 at step 4 and by consumer-1 at step 6; it was put once, by producer-1 at step 2.');
  });

  it('a phantom undefined: nothing put it, so it is what a take from an empty array returns', () => {
    const item = { producer: 1, index: 0 };
    const verdict = verdictOf([
      [P1, 'put', item, 2],
      [C0, 'take', undefined, 4],
      [C1, 'take', item, 6],
    ]);
    expect(verdict).toEqual({ kind: 'phantom-item', message: 'a take returned undefined (what a take from an empty array returns), which no producer ever put: consumer-0 took it at step 4.' });
  });

  it('lost items, each with the put that made it', () => {
    const verdict = verdictOf([
      [P0, 'put', undefined, 2],
      [P1, 'put', { producer: 1, index: 0 }, 3],
      [P0, 'put', null, 4],
      [C0, 'take', null, 5],
    ]);
    expect(verdict).toEqual({
      kind: 'lost-item',
      message: '2 item(s) put were never taken although every thread finished: undefined (the first item of producer-0), put by producer-0 at step 2; {producer:1,index:0}, put by producer-1 at step 3.',
    });
  });

  it('in a real finding: the library\'s monitor with `if` instead of `while`', async () => {
    const { failure } = await explore(ifInsteadOfWhile, { seed: 42, runs: 2000 });
    expect(failure?.kind).toBe('duplicate-item');
    expect(failure?.trace.outcome.message).toMatch(
      /^item undefined \(the first item of producer-0, and also what a take from an empty array returns\) was taken twice: by consumer-\d at step (\d+) and by consumer-\d at step (\d+); it was put once, by producer-0 at step \d+\.$/,
    );
  });
});

describe('the buffer model’s contents', () => {
  it('holds nothing once a put has handed its item straight to a waiting taker, whichever returned first', () => {
    const model = new BufferModel(2);
    const take = model.invoke(1, 'take', undefined, 1);
    const put = model.invoke(0, 'put', 'x', 2);
    model.respond(take, 3, 'x'); // the taker resumed before the putter returned
    expect(model.contents()).toEqual([]);
    model.respond(put, 4);
    expect(model.contents()).toEqual([]);
    const later = model.invoke(0, 'put', 'y', 5);
    model.respond(later, 6);
    expect(model.contents()).toEqual(['"y"']);
  });
});
