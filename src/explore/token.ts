import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DEFAULT_START_TIME } from '../engine/clock.ts';
import { STRATEGY_CODES, type StrategyName } from './strategies/strategy.ts';

/**
 * The replay token: short, printable, versioned. It names the scenario (by a
 * hash of its name and thread names), the strategy, the seed, the execution's
 * index, the step budget, the clock's first instant, and every choice of the
 * execution (steps, same-macrotask starts and their offsets, notified
 * waiters), so a replay needs neither the strategy's code nor its random
 * stream. Layout of the payload: a version byte, a flags byte, then varints
 * [scenarioId, strategy code, seed, execution, maxSteps, fairSteps,
 * startTime − DEFAULT_START_TIME (zigzag), n, (choice + 1) × n] (deflated
 * when that is shorter), then a 16-bit checksum; base64url after the prefix.
 */
export const TOKEN_PREFIX = 'IL1-';
/** Version 2: choices among continuations, with same-macrotask starts; version 1 chose among threads. */
const VERSION = 2;
const STRATEGY_BY_CODE = new Map<number, StrategyName>(Object.entries(STRATEGY_CODES).map(([name, code]) => [code, name as StrategyName]));

/** The largest number a token carries: steps, seeds and times above it are refused when the options are checked. */
export const TOKEN_MAX = Number.MAX_SAFE_INTEGER;

export interface TokenData {
  readonly scenarioId: number;
  readonly strategy: StrategyName;
  readonly seed: number;
  readonly execution: number;
  readonly maxSteps: number;
  /** Steps of fair continuation before a livelock is called. */
  readonly fairSteps: number;
  /** The virtual clock's first instant, epoch ms. */
  readonly startTime: number;
  readonly tape: readonly number[];
}

export class TokenError extends Error {
  override name = 'TokenError';
}

export function encodeToken(data: TokenData): string {
  const body: number[] = [];
  const header = [data.scenarioId, STRATEGY_CODES[data.strategy], data.seed, data.execution, data.maxSteps, data.fairSteps, zigzag(data.startTime - DEFAULT_START_TIME), data.tape.length];
  for (const v of header) writeVarint(body, v);
  // Choices are >= -1 (a join's "none"): stored one up.
  for (const v of data.tape) writeVarint(body, v + 1);
  const raw = Buffer.from(body);
  const packed = deflateRawSync(raw, { level: 9 });
  const deflated = packed.length < raw.length;
  const payload = Buffer.concat([Buffer.from([VERSION, deflated ? 1 : 0]), deflated ? packed : raw]);
  const sum = checksum(payload);
  return TOKEN_PREFIX + Buffer.concat([payload, Buffer.from([sum >> 8, sum & 0xff])]).toString('base64url');
}

export function decodeToken(token: unknown): TokenData {
  const shown = typeof token === 'string' ? (token.length > 40 ? `${token.slice(0, 40)}…` : token) : String(token);
  const fail = (why: string): never => {
    throw new TokenError(`'${shown}' is not a valid Interleave replay token: ${why}. Tokens start with '${TOKEN_PREFIX}' and are printed with every failure.`);
  };
  if (typeof token !== 'string') return fail(`expected a string, got ${typeof token}`);
  const text = token.trim();
  if (!text.startsWith(TOKEN_PREFIX)) return fail(`it does not start with '${TOKEN_PREFIX}'`);
  const b64 = text.slice(TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(b64)) return fail('it contains characters outside base64url');
  const bytes = Buffer.from(b64, 'base64url');
  if (bytes.length < 5) return fail('it is too short');
  const payload = bytes.subarray(0, bytes.length - 2);
  const sum = (bytes[bytes.length - 2]! << 8) | bytes[bytes.length - 1]!;
  if (checksum(payload) !== sum) return fail('its checksum does not match (was it cut or edited?)');
  // base64url decoding ignores spare bits and a dangling character; a token edited there must not pass either.
  if (bytes.toString('base64url') !== b64) return fail('it is not canonical base64url (was a character changed or added?)');
  if (payload[0] === 1) {
    return fail(
      'it was recorded by an earlier Interleave (token version 1, which scheduled whole threads; this one schedules continuations and same-macrotask starts). ' +
        'Run the exploration again with the same seed to get a token for this version',
    );
  }
  if (payload[0] !== VERSION) return fail(`it has version ${payload[0]}, and this Interleave reads version ${VERSION}`);
  let body: Buffer;
  try {
    body = payload[1] === 1 ? inflateRawSync(payload.subarray(2)) : payload.subarray(2);
  } catch {
    return fail('its payload does not decompress');
  }
  const reader = { at: 0 };
  const next = (): number => readVarint(body, reader) ?? fail('it ends too early');
  const scenarioId = next();
  const strategy = STRATEGY_BY_CODE.get(next()) ?? fail('it names an unknown strategy');
  const seed = next();
  const execution = next();
  const maxSteps = next();
  const fairSteps = next();
  const startTime = DEFAULT_START_TIME + unzigzag(next());
  const n = next();
  if (n > body.length) fail('it ends too early');
  const tape: number[] = [];
  for (let i = 0; i < n; i++) tape.push(next() - 1);
  if (reader.at !== body.length) fail('it has trailing bytes');
  return { scenarioId, strategy, seed, execution, maxSteps, fairSteps, startTime, tape };
}

/** FNV-1a over the scenario's name and thread names: what ties a token to its scenario. */
export function scenarioId(name: string, threads: readonly string[]): number {
  let h = 0x811c9dc5;
  for (const ch of `${name}\u0000${threads.join('\u0000')}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function checksum(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return (h ^ (h >>> 16)) & 0xffff;
}

function writeVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function zigzag(n: number): number {
  return n >= 0 ? 2 * n : -2 * n - 1;
}

function unzigzag(n: number): number {
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

function readVarint(bytes: Uint8Array, reader: { at: number }): number | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 8; i++) {
    const b = bytes[reader.at++];
    if (b === undefined) return undefined;
    value += (b & 0x7f) * scale;
    if (b < 0x80) return value;
    scale *= 0x80;
  }
  return undefined;
}
