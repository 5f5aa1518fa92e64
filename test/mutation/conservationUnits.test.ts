/**
 * The conservation checks (lost, duplicated, invented items; per-producer
 * order) on histories written event by event: operations that overlap,
 * complete in another order than they began, or never complete. Whole
 * explorations seldom produce these shapes at a detector's edge.
 */
import { describe, expect, it } from 'vitest';
import { BufferModel, type BufferOp } from '../../src/check/bufferModel.ts';
import { conservationMonitor } from '../../src/check/conservation.ts';

const NAMES = ['p0', 'p1', 'c0', 'c1'];
const [P0, P1, C0, C1] = [0, 1, 2, 3];

/** An event: begin operation `key` (a put of `item`, or a take), or end it (a take returning `item`). Step = event number. */
type Event = readonly ['begin', string, number, 'put' | 'take', unknown?] | readonly ['end', string, unknown?];

function judge(events: readonly Event[], fifo = true) {
  const model = new BufferModel(9);
  const open = new Map<string, BufferOp>();
  events.forEach((event, i) => {
    if (event[0] === 'begin') open.set(event[1], model.invoke(event[2], event[3], event[4], i + 1));
    else model.respond(open.get(event[1])!, i + 1, event[2]);
  });
  return conservationMonitor(model, fifo, (id) => NAMES[id]!).atEnd!({} as never);
}

/** An operation that begins and ends before the next event. */
const put = (key: string, thread: number, item: unknown): Event[] => [['begin', key, thread, 'put', item], ['end', key]];
const take = (key: string, thread: number, item: unknown): Event[] => [['begin', key, thread, 'take'], ['end', key, item]];

describe('operations that never completed', () => {
  it('a put that never returned is neither lost nor a source; a take that never returned took nothing', () => {
    expect(judge([...put('a', P0, 'a'), ...take('ta', C0, 'a'), ['begin', 'b', P0, 'put', 'b'], ['begin', 'tb', C1, 'take']])).toBeUndefined();
  });

  it('an item only a pending put carried is invented when a take returns it', () => {
    expect(judge([['begin', 'z', P0, 'put', 'z'], ...take('tz', C0, 'z')])).toEqual({
      kind: 'phantom-item',
      message: 'a take returned "z", which no producer ever put: c0 took it at step 3.',
    });
  });

  it('a lost item names only the puts of it that completed', () => {
    expect(judge([...put('a1', P0, 'a'), ['begin', 'a2', P1, 'put', 'a']])).toEqual({
      kind: 'lost-item',
      message: '1 item(s) put were never taken although every thread finished: "a" (the first item of p0), put by p0 at step 2.',
    });
  });

  it('a pending take beside a completed take of undefined does not make an order finding', () => {
    expect(judge([...put('a', P0, 'a'), ...put('u', P0, undefined), ...take('ta', C0, 'a'), ...take('tu', C0, undefined), ['begin', 'pending', C1, 'take']])).toBeUndefined();
  });
});

describe('what the messages say', () => {
  it('only an undefined is called what a take from an empty array returns', () => {
    expect(judge([...put('a', P0, 'a'), ...take('ta', C0, 'a'), ...take('tq', C1, 7)])?.message).toBe('a take returned 7, which no producer ever put: c1 took it at step 6.');
  });

  it('five lost items are listed whole; the ellipsis is for a sixth', () => {
    const five = [0, 1, 2, 3, 4].flatMap((n) => put(`k${n}`, P0, { n }));
    expect(judge(five)?.message).toBe(
      '5 item(s) put were never taken although every thread finished: {n:0}, put by p0 at step 2; {n:1}, put by p0 at step 4; {n:2}, put by p0 at step 6; {n:3}, put by p0 at step 8; {n:4}, put by p0 at step 10.',
    );
  });

  it('null is named by its place in its producer\'s sequence, like the other primitives', () => {
    expect(judge([...put('u', P0, 'x'), ...put('n', P0, null), ...take('t1', C0, 'x'), ...take('t2', C0, null), ...take('t3', C1, null)])?.message).toBe(
      'item null (the second item of p0) was taken twice: by c0 at step 8 and by c1 at step 10; it was put once, by p0 at step 4.',
    );
  });

  it("an item's place counts only its own producer's earlier puts, not its takes, nor other producers' puts, nor its later puts", () => {
    const events: Event[] = [...put('q', P1, 'q'), ...take('tq', P0, 'q'), ...put('five', P0, 5), ...put('six', P0, 6), ...take('t6', C1, 6), ...take('t5a', C0, 5), ...take('t5b', C1, 5)];
    expect(judge(events)?.message).toBe('item 5 (the first item of p0) was taken twice: by c0 at step 12 and by c1 at step 14; it was put once, by p0 at step 6.');
  });

  it('places are listed in the order the operations returned, not the order they began', () => {
    const events: Event[] = [...put('x', P0, 'x'), ['begin', 'late', C1, 'take'], ['begin', 'early', C0, 'take'], ['end', 'early', 'x'], ['end', 'late', 'x']];
    expect(judge(events)?.message).toBe('item "x" (the first item of p0) was taken twice: by c0 at step 5 and by c1 at step 6; it was put once, by p0 at step 2.');
  });
});

describe('per-producer order', () => {
  it("a thread's takes are not its puts: taking another producer's item early is no order finding", () => {
    const events: Event[] = [...put('x', P1, 'x'), ...put('a', P0, 'a'), ...take('tx', P0, 'x'), ...take('ta', C0, 'a')];
    expect(judge(events)).toBeUndefined();
  });

  it('compares with the earlier item whose take started last, even when a later item\'s take started first', () => {
    // p0 puts a, b, c. b's take starts first and ends last; c's take ends before a's take starts: c came out ahead of a.
    const events: Event[] = [
      ...put('a', P0, 'a'),
      ...put('b', P0, 'b'),
      ...put('c', P0, 'c'),
      ['begin', 'tb', C1, 'take'],
      ...take('tc', C0, 'c'),
      ...take('ta', C0, 'a'),
      ['end', 'tb', 'b'],
    ];
    expect(judge(events)).toEqual({ kind: 'order', message: 'p0 put "a" before "c", but c0 took "c" (step 9) before c0 took "a" (step 10).' });
  });

  it('moves on to a later item whose take started later', () => {
    // a's take first, then c's, then b's: c came out ahead of b, though not of a.
    const events: Event[] = [...put('a', P0, 'a'), ...put('b', P0, 'b'), ...put('c', P0, 'c'), ...take('ta', C0, 'a'), ...take('tc', C0, 'c'), ...take('tb', C1, 'b')];
    expect(judge(events)).toEqual({ kind: 'order', message: 'p0 put "b" before "c", but c0 took "c" (step 10) before c1 took "b" (step 11).' });
  });
});
