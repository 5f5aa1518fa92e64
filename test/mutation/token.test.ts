/**
 * The replay token's layout (explore/token.ts), byte by byte where it
 * matters: which payloads are deflated, how varints and the start time are
 * stored, what ties a token to its scenario, and the reason given for each
 * way a token can be wrong. The round trip and corruption in general are
 * properties in harness.property.test.ts.
 */
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_START_TIME } from '../../src/engine/clock.ts';
import { decodeToken, encodeToken, scenarioId, TOKEN_PREFIX, TokenError, type TokenData } from '../../src/explore/token.ts';

const BASE: TokenData = { scenarioId: 1, strategy: 'random', seed: 2, execution: 3, maxSteps: 4, fairSteps: 5, startTime: DEFAULT_START_TIME, tape: [] };

function payloadOf(token: string): Buffer {
  const bytes = Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url');
  return bytes.subarray(0, bytes.length - 2);
}

/** The token's checksum, as token.ts computes it: FNV-1a over the payload, folded to 16 bits. */
function tokenOf(payload: Uint8Array): string {
  let h = 0x811c9dc5;
  for (const b of payload) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  const sum = (h ^ (h >>> 16)) & 0xffff;
  return TOKEN_PREFIX + Buffer.concat([payload, Buffer.from([sum >> 8, sum & 0xff])]).toString('base64url');
}

function reason(token: unknown): string {
  try {
    decodeToken(token);
  } catch (error) {
    expect(error).toBeInstanceOf(TokenError);
    expect((error as Error).name).toBe('TokenError');
    return (error as Error).message;
  }
  throw new Error('decoded');
}

describe('the layout', () => {
  it('a short payload is stored as it is: version 4, flag 0, the header varints (the code fingerprint after the start time), then each choice zigzagged, times 8, plus its kind', () => {
    const payload = payloadOf(encodeToken({ ...BASE, tape: [-1, 0, 5] }));
    // No kinds known: kind code 7 each. -1 → zigzag 1 → 15; 0 → 7; 5 → zigzag 10 → 87.
    expect([...payload]).toEqual([4, 0, 1, 0, 2, 3, 4, 5, 0, 0, 3, 15, 7, 87]);
    const typed = payloadOf(encodeToken({ ...BASE, tape: [-1, 0, 5], kinds: ['join', 'step', 'time'], code: 9 }));
    // join 1, step 0, time 4; the code fingerprint 9 in its place.
    expect([...typed]).toEqual([4, 0, 1, 0, 2, 3, 4, 5, 0, 9, 3, 9, 0, 84]);
    expect(decodeToken(encodeToken({ ...BASE, tape: [-1, 0, 5], kinds: ['join', 'step', 'time'], code: 9 }))).toEqual({
      ...BASE,
      tape: [-1, 0, 5],
      kinds: ['join', 'step', 'time'],
      code: 9,
    });
  });

  it('a long repetitive payload is deflated, flag 1, and inflates to the same varints', () => {
    const tape = Array.from({ length: 300 }, (_, i) => i % 3);
    const payload = payloadOf(encodeToken({ ...BASE, tape }));
    expect([payload[0], payload[1]]).toEqual([4, 1]);
    expect(payload.length).toBeLessThan(60);
    expect(decodeToken(encodeToken({ ...BASE, tape })).tape).toEqual(tape);
  });

  it('varints hold 7 bits a byte, up to 2^53 - 1, and the start time is stored relative to the default, zigzagged', () => {
    expect([...payloadOf(encodeToken({ ...BASE, seed: 127 }))].slice(4, 5)).toEqual([127]);
    expect([...payloadOf(encodeToken({ ...BASE, seed: 128 }))].slice(4, 6)).toEqual([0x80, 1]);
    expect([...payloadOf(encodeToken({ ...BASE, seed: 300 }))].slice(4, 6)).toEqual([0xac, 2]);
    for (const seed of [0, 127, 128, 16383, 16384, 0xffffffff]) expect(decodeToken(encodeToken({ ...BASE, seed })).seed).toBe(seed);
    expect(decodeToken(encodeToken({ ...BASE, maxSteps: Number.MAX_SAFE_INTEGER })).maxSteps).toBe(Number.MAX_SAFE_INTEGER);
    expect(payloadOf(encodeToken({ ...BASE, startTime: DEFAULT_START_TIME + 1 }))[8]).toBe(2);
    expect(payloadOf(encodeToken({ ...BASE, startTime: DEFAULT_START_TIME - 1 }))[8]).toBe(1);
    for (const startTime of [0, 1, DEFAULT_START_TIME - 1, DEFAULT_START_TIME + 1, 8.64e15]) expect(decodeToken(encodeToken({ ...BASE, startTime })).startTime).toBe(startTime);
  });

  it('the strategy is stored by its pinned code', () => {
    expect(payloadOf(encodeToken({ ...BASE, strategy: 'random' }))[3]).toBe(0);
    expect(payloadOf(encodeToken({ ...BASE, strategy: 'pct' }))[3]).toBe(1);
    expect(payloadOf(encodeToken({ ...BASE, strategy: 'dfs' }))[3]).toBe(2);
    expect(payloadOf(encodeToken({ ...BASE, strategy: 'portfolio' }))[3]).toBe(3);
  });

  it('the scenario id is FNV-1a over the name and the thread names, each after a NUL', () => {
    expect(scenarioId('', [])).toBe(0x050c5d1f);
    expect(scenarioId('a', ['b'])).toBe(scenarioId('a', ['b']));
    expect(scenarioId('a', ['b'])).not.toBe(scenarioId('a', ['c']));
    expect(scenarioId('a', ['b', 'c'])).not.toBe(scenarioId('a', ['bc']));
    expect(scenarioId('ab', [])).not.toBe(scenarioId('a', ['b']));
    // Code points, not UTF-16 units: an astral character counts once.
    expect(scenarioId('💥', [])).not.toBe(scenarioId('\ud83d', ['\udca5']));
  });
});

describe('what is wrong with a token', () => {
  it('names the token (cut at 40 characters) and says where tokens come from', () => {
    const long = `XX${'A'.repeat(60)}`;
    expect(reason(long)).toBe(
      `'${long.slice(0, 40)}…' is not a valid Interleave replay token: it does not start with 'IL1-'. Tokens start with 'IL1-' and are printed with every failure.`,
    );
    expect(reason('IL1-')).toContain(`'IL1-' is not a valid Interleave replay token: it contains characters outside base64url.`);
  });

  it('not a string', () => {
    expect(reason(42)).toBe(`'42' is not a valid Interleave replay token: expected a string, got number. Tokens start with 'IL1-' and are printed with every failure.`);
    expect(reason(undefined)).toContain('expected a string, got undefined');
  });

  it('too short, or a checksum that does not match', () => {
    expect(reason('IL1-AAAAAA')).toContain('it is too short');
    expect(reason(`IL1-${Buffer.from([2, 0, 1, 2, 3]).toString('base64url')}`)).toContain('its checksum does not match (was it cut or edited?)');
  });

  it('an earlier or a later version', () => {
    expect(reason(tokenOf(Buffer.from([1, 0, 0, 0])))).toContain('it was recorded by an earlier Interleave (token version 1, which scheduled whole threads;');
    expect(reason(tokenOf(Buffer.from([2, 0, 0, 0])))).toContain('it was recorded by an earlier Interleave (token version 2, whose event loop could fire due timers in an order Node never uses)');
    expect(reason(tokenOf(Buffer.from([3, 0, 0, 0])))).toContain('it was recorded by an earlier Interleave (token version 3, whose tapes also held the decisions that had one answer)');
    expect(reason(tokenOf(Buffer.from([5, 0, 0, 0])))).toContain('it has version 5, and this Interleave reads version 4');
  });

  it('a payload that does not decompress, ends too early, names no strategy, or has bytes to spare', () => {
    expect(reason(tokenOf(Buffer.from([4, 1, 0xff, 0xff, 0xff])))).toContain('its payload does not decompress');
    expect(reason(tokenOf(Buffer.from([4, 0, 1, 0, 2])))).toContain('it ends too early');
    expect(reason(tokenOf(Buffer.from([4, 0, 1, 9, 2, 3, 4, 5, 0, 0, 0])))).toContain('it names an unknown strategy');
    expect(reason(tokenOf(Buffer.from([4, 0, 1, 0, 2, 3, 4, 5, 0, 0, 0, 7])))).toContain('it has trailing bytes');
    // A count of choices larger than the payload could hold is refused before reading them.
    expect(reason(tokenOf(Buffer.from([4, 0, 1, 0, 2, 3, 4, 5, 0, 0, 100, 1])))).toContain('it ends too early');
    // A varint longer than 8 bytes is no varint.
    expect(reason(tokenOf(Buffer.from([4, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 1])))).toContain('it ends too early');
    const deflated = deflateRawSync(Buffer.from([1, 0, 2, 3, 4, 5, 0, 0, 1, 1, 9]));
    expect(reason(tokenOf(Buffer.concat([Buffer.from([4, 1]), deflated])))).toContain('it has trailing bytes');
    // A kind code no version has (5): refused, not guessed.
    expect(reason(tokenOf(Buffer.from([4, 0, 1, 0, 2, 3, 4, 5, 0, 0, 1, 5])))).toContain('it holds a choice of an unknown kind');
  });

  it('base64url that is not canonical (a changed spare bit, an added character)', () => {
    const token = encodeToken({ ...BASE, tape: [1] });
    const last = token[token.length - 1]!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1]!;
    const edited = token.slice(0, -1) + sibling;
    if (Buffer.from(edited.slice(4), 'base64url').equals(Buffer.from(token.slice(4), 'base64url'))) {
      expect(reason(edited)).toContain('it is not canonical base64url');
    }
    expect(decodeToken(`\n ${token} \t`)).toEqual({ ...BASE, tape: [1] });
  });
});
