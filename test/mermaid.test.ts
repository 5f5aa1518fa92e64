import { describe, expect, it } from 'vitest';
import { renderMermaid } from '../src/report/mermaid.ts';
import { libraryFailure } from './fixtures/report/library.ts';
import { HOSTILE, hostileTrace, syntheticTrace } from './fixtures/report/traces.ts';

/**
 * A grammar for the statements renderMermaid writes, after Mermaid's own
 * sequenceDiagram lexer: text ends at `#`, `;` or a newline, so text may
 * hold only other characters and entity codes (`#35;`).
 */
const ID = '[A-Za-z][A-Za-z0-9_]*';
const TEXT = '(?:[^#;\\n]|#\\w+;)+';
const RULES = {
  participant: new RegExp(`^  participant (${ID}) as (${TEXT})$`),
  message: new RegExp(`^  (${ID})(->>|-->>|-x|--x|-\\)|--\\))(${ID}): (${TEXT})$`),
  note: new RegExp(`^  Note (?:over|left of|right of) (${ID})(?:,(${ID}))?: (${TEXT})$`),
  rect: /^ {2}rect rgb\(\d{1,3}, \d{1,3}, \d{1,3}\)$/,
  end: /^ {2}end$/,
};

interface Parsed {
  readonly participants: Map<string, string>;
  readonly messages: { from: string; arrow: string; to: string; text: string }[];
  readonly notes: { over: string[]; text: string }[];
}

/** Checks every line against the grammar and the diagram's structure; returns what it declared and drew. */
function parse(diagram: string): Parsed {
  expect(diagram.endsWith('\n')).toBe(true);
  const lines = diagram.slice(0, -1).split('\n');
  expect(lines[0]).toBe('sequenceDiagram');
  const parsed: Parsed = { participants: new Map(), messages: [], notes: [] };
  const texts: string[] = [];
  let open = 0;
  const declared = (id: string | undefined): void => {
    if (id !== undefined) expect(parsed.participants.has(id), `${id} is used before it is declared`).toBe(true);
  };
  for (const line of lines.slice(1)) {
    let m: RegExpExecArray | null;
    if ((m = RULES.participant.exec(line))) {
      expect(parsed.participants.has(m[1]!), `${m[1]} declared twice`).toBe(false);
      expect(parsed.messages.length + parsed.notes.length, 'participants come first').toBe(0);
      parsed.participants.set(m[1]!, m[2]!);
      texts.push(m[2]!);
    } else if ((m = RULES.message.exec(line))) {
      declared(m[1]);
      declared(m[3]);
      parsed.messages.push({ from: m[1]!, arrow: m[2]!, to: m[3]!, text: m[4]! });
      texts.push(m[4]!);
    } else if ((m = RULES.note.exec(line))) {
      declared(m[1]);
      declared(m[2]);
      parsed.notes.push({ over: [m[1]!, ...(m[2] === undefined ? [] : [m[2]])], text: m[3]! });
      texts.push(m[3]!);
    } else if (RULES.rect.test(line)) open++;
    else if (RULES.end.test(line)) {
      open--;
      expect(open).toBeGreaterThanOrEqual(0);
    } else expect.fail(`not a sequenceDiagram statement: ${JSON.stringify(line)}`);
  }
  expect(open, 'every rect is closed').toBe(0);
  for (const text of texts) {
    // Markup, quotes, backticks and comment starts appear only as entity codes.
    expect(text, text).not.toMatch(/[<>"`&%]/);
    expect(text.trim()).toBe(text);
    expect(text).not.toBe('');
  }
  return parsed;
}

/** Mermaid shows entity codes as the characters they stand for. */
function decoded(text: string): string {
  return text.replace(/#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

describe('the Mermaid diagram', () => {
  it('draws a lost wakeup: threads on either side of the lock and conditions, the lost notify as a cross, the failing step shaded and explained', async () => {
    const { failure } = await libraryFailure('monitor-check-then-wait');
    const diagram = renderMermaid(failure.trace);
    const parsed = parse(diagram);
    const labels = [...parsed.participants.values()];
    expect(labels[0]).toBe('producer-0');
    expect(labels[labels.length - 1]).toBe('consumer-0');
    expect(labels.slice(1, -1)).toEqual(expect.arrayContaining(['lock (mutex)', 'notEmpty (condition)', 'notFull (condition)', 'buffer']));
    const texts = parsed.messages.map((m) => m.text.replace(/^\d+: /, ''));
    expect(texts).toEqual(expect.arrayContaining(['lock', 'unlock', 'wait', 'notify (no waiter)', 'put(undefined)', 'take → undefined']));
    expect(parsed.messages.find((m) => m.text.endsWith('notify (no waiter)'))!.arrow).toBe('-x');
    expect(diagram).toMatch(/ {2}rect rgb\(255, 235, 233\)\n(?: {2}(?!end).*\n)+ {2}Note over th0,th1: ✖ lost wakeup at step \d+/);
    expect(parsed.messages.length + parsed.notes.length).toBeLessThanOrEqual(80);
  });

  it('draws a deadlock on semaphores: acquire and release, who blocks where', async () => {
    const { failure } = await libraryFailure('semaphore-wrong-order');
    const parsed = parse(renderMermaid(failure.trace));
    expect([...parsed.participants.values()]).toEqual(expect.arrayContaining(['mutex (semaphore)', 'empty (semaphore)', 'full (semaphore)']));
    expect(parsed.messages.some((m) => m.text.includes('release'))).toBe(true);
    expect(parsed.messages.filter((m) => m.text.endsWith('acquire (blocks)')).every((m) => m.arrow === '-)')).toBe(true);
    for (const b of failure.trace.outcome.blocked!) expect(parsed.notes.map((n) => n.text)).toContain(`waits in ${b.waitsFor}`);
  });

  it('collapses a repeating cycle into one turn and a note', async () => {
    const { failure } = await libraryFailure('polite-livelock');
    expect(failure.trace.steps.length).toBeGreaterThan(30);
    const diagram = renderMermaid(failure.trace);
    const parsed = parse(diagram);
    expect(parsed.notes.map((n) => decoded(n.text))).toContainEqual(expect.stringMatching(/^steps \d+–\d+: the same 2 steps \d+ more times$/));
    expect(diagram.split('\n').length).toBeLessThan(15);
  });

  it('stays short for a long trace: the beginning, a note for what was left out, and the end with the failure', () => {
    const trace = syntheticTrace({ steps: 2000, producers: 3, consumers: 3, capacity: 2 });
    const parsed = parse(renderMermaid(trace));
    expect(parsed.messages.length + parsed.notes.length).toBeLessThanOrEqual(80);
    expect(parsed.notes.some((n) => /^… steps \d+–\d+ left out \(\d+ messages\)/.test(n.text))).toBe(true);
    expect([...parsed.messages, ...parsed.notes].some((s) => s.text.startsWith('2000: '))).toBe(true);
    expect(parsed.notes.some((n) => n.text.startsWith('✖ lost wakeup at step 2000'))).toBe(true);
  });

  it('escapes names, items and messages that hold Mermaid syntax, markup or script, and shows the note and macrotask of a step', () => {
    const parsed = parse(renderMermaid(hostileTrace()));
    const labels = [...parsed.participants.values()].map(decoded);
    expect(labels).toEqual(expect.arrayContaining([HOSTILE.img, HOSTILE.script, HOSTILE.mermaid.replace('\n', ' '), `${HOSTILE.img} (mutex)`]));
    expect(parsed.messages.map((m) => decoded(m.text))).toContainEqual(expect.stringContaining(`put(${HOSTILE.script})`));
    const notes = parsed.notes.map((n) => decoded(n.text));
    expect(notes).toContainEqual(expect.stringMatching(/^\d+: same macrotask: /));
    expect(notes).toContainEqual(expect.stringContaining("'s task, run by "));
  });
});
