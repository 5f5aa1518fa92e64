import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { DecisionKind } from '../engine/chooser.ts';
import { DEFAULT_START_TIME } from '../engine/clock.ts';
import { STRATEGY_CODES, type StrategyName } from './strategies/strategy.ts';

/**
 * The replay token: short, printable, versioned. It names the scenario (by a
 * hash of its name and thread names), the strategy, the seed, the execution's
 * index, the step budget, the clock's first instant, and every choice of the
 * execution with its kind (steps, the event loop's turns and how late it
 * wakes, same-macrotask starts and their offsets, notified waiters), so a
 * replay needs neither the strategy's code nor its random stream, and one
 * that falls out of step is caught at the first decision whose kind differs.
 * It also carries a fingerprint of the code under test (engine/codeFingerprint.ts),
 * so that a replay that leaves its schedule can tell changed code (a fixed
 * bug) from a program that really runs differently. Layout of the payload: a
 * version byte, a flags byte, then varints [scenarioId, strategy code, seed,
 * execution, maxSteps, fairSteps, startTime − DEFAULT_START_TIME (zigzag),
 * code fingerprint, n, (zigzag(choice) · 8 + kind code) × n] (deflated when
 * that is shorter), then a 16-bit checksum; base64url after the prefix.
 */
export const TOKEN_PREFIX = 'IL1-';
/**
 * Version 4: only real choices are on the tape (a decision with one answer
 * is none, engine/decisions.ts); version 3 recorded forced ones too, and
 * first turned the event loop as Node's does (timers in Node's order,
 * immediates first in first out), with choices carrying their kinds and the
 * code's fingerprint; version 2 chose among continuations and due timers
 * alike; version 1 among threads.
 */
const VERSION = 4;
/** The kind codes of the choices on the tape, pinned; UNKNOWN_KIND for a tape built without them (it is not checked). */
const KIND_CODES: readonly DecisionKind[] = ['step', 'join', 'offset', 'notify', 'time'];
const UNKNOWN_KIND = 7;

function kindCode(kind: DecisionKind | undefined): number {
  return kind === undefined ? UNKNOWN_KIND : KIND_CODES.indexOf(kind);
}
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
  /** The kind of each choice, when known: a replay checks each decision against it. */
  readonly kinds?: readonly DecisionKind[];
  /** A fingerprint of the code under test as the execution ran it (0 or absent: unknown). */
  readonly code?: number;
}

export class TokenError extends Error {
  override name = 'TokenError';
}

export function encodeToken(data: TokenData): string {
  const body: number[] = [];
  const header = [
    data.scenarioId,
    STRATEGY_CODES[data.strategy],
    data.seed,
    data.execution,
    data.maxSteps,
    data.fairSteps,
    zigzag(data.startTime - DEFAULT_START_TIME),
    data.code ?? 0,
    data.tape.length,
  ];
  for (const v of header) writeVarint(body, v);
  // Choices may be negative (the sentinels): zigzagged, with their kind in the low three bits.
  data.tape.forEach((v, i) => writeVarint(body, zigzag(v) * 8 + kindCode(data.kinds?.[i])));
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
  if (payload[0] === 2) {
    return fail(
      'it was recorded by an earlier Interleave (token version 2, whose event loop could fire due timers in an order Node never uses). ' +
        'Run the exploration again with the same seed to get a token for this version',
    );
  }
  if (payload[0] === 3) {
    return fail(
      'it was recorded by an earlier Interleave (token version 3, whose tapes also held the decisions that had one answer). ' +
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
  const code = next();
  const n = next();
  if (n > body.length) fail('it ends too early');
  const tape: number[] = [];
  const kinds: DecisionKind[] = [];
  let known = false;
  for (let i = 0; i < n; i++) {
    const v = next();
    const code = v % 8;
    const kind = KIND_CODES[code];
    if (kind === undefined && code !== UNKNOWN_KIND) fail('it holds a choice of an unknown kind');
    if (kind !== undefined) known = true;
    kinds.push(kind ?? 'step');
    tape.push(unzigzag((v - code) / 8));
  }
  if (reader.at !== body.length) fail('it has trailing bytes');
  return { scenarioId, strategy, seed, execution, maxSteps, fairSteps, startTime, tape, ...(known ? { kinds } : {}), ...(code !== 0 ? { code } : {}) };
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

/**
 * The scenario a token was recorded for, from its header alone: decodeToken's
 * checks of the whole token (prefix, alphabet, checksum, version) without
 * decoding its choices, which for a long execution are megabytes. A
 * regression file is read with it, so that the tokens of other scenarios are
 * skipped at once. A token that is not valid throws decodeToken's TokenError.
 */
export function tokenScenarioId(token: string): number {
  const text = token.trim();
  const b64 = text.slice(TOKEN_PREFIX.length);
  if (text.startsWith(TOKEN_PREFIX) && /^[A-Za-z0-9_-]+$/.test(b64)) {
    const bytes = Buffer.from(b64, 'base64url');
    const payload = bytes.subarray(0, bytes.length - 2);
    const sum = (bytes[bytes.length - 2]! << 8) | bytes[bytes.length - 1]!;
    if (bytes.length >= 5 && payload[0] === VERSION && checksum(payload) === sum && bytes.toString('base64url') === b64) {
      try {
        const id = readVarint(payload[1] === 1 ? inflateRawSync(payload.subarray(2)) : payload.subarray(2), { at: 0 });
        if (id !== undefined) return id;
      } catch {
        // Damaged inside: decodeToken says how.
      }
    }
  }
  return decodeToken(token).scenarioId;
}
