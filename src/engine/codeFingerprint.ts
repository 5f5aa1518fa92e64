/**
 * A fingerprint of the code under test, as far as the harness can see it:
 * the source text of the scenario's own functions and of every function and
 * class reachable from its state just after setup (the implementation's
 * classes and their methods, a library's closures). A replay token carries
 * it, so that a replay which leaves its recorded schedule can tell "this
 * code has changed since the token was recorded (the bug was fixed)" from
 * "the same code ran differently" (nondeterminism). Taken right after setup,
 * before any schedule has run, it depends on the code alone (setup runs the
 * same way every time). Code it cannot reach (a helper module the state does
 * not point into) changes nothing here: such a change is still reported as
 * nondeterminism, as before.
 */
const MAX_NODES = 5_000;
const BUILT_IN_PROTOTYPES = new Set<object | null>([Object.prototype, Array.prototype, Function.prototype, Map.prototype, Set.prototype, Promise.prototype, Date.prototype, Error.prototype, null]);

/** `skip`: the harness's own objects (the execution, its runtime, clock and primitives), which the state may point to. */
export function codeFingerprint(functions: readonly unknown[], state: unknown, skip: readonly object[] = []): number {
  const sources = new Set<string>();
  const seen = new Set<object>(skip);
  let budget = MAX_NODES;
  const visit = (value: unknown): void => {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value) || --budget < 0) return;
    seen.add(value);
    if (typeof value === 'function') sources.add(sourceOf(value));
    try {
      // The class it is an instance of, and the methods up its prototype chain.
      for (let proto = Object.getPrototypeOf(value) as object | null; !BUILT_IN_PROTOTYPES.has(proto); proto = Object.getPrototypeOf(proto) as object | null) {
        if (seen.has(proto!)) break;
        seen.add(proto!);
        for (const key of Object.getOwnPropertyNames(proto)) {
          const d = Object.getOwnPropertyDescriptor(proto, key);
          for (const f of [d?.value, d?.get, d?.set]) if (typeof f === 'function') sources.add(sourceOf(f));
        }
      }
      if (value instanceof Map) for (const [k, v] of value) (visit(k), visit(v));
      else if (value instanceof Set) for (const v of value) visit(v);
      else if (typeof value === 'object' || typeof value === 'function') {
        for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key]);
      }
    } catch {
      // A proxy or a getter that throws: what could be read is enough.
    }
  };
  for (const f of functions) visit(f);
  visit(state);
  let h = 0x811c9dc5;
  for (const source of [...sources].sort()) {
    for (let i = 0; i < source.length; i++) h = Math.imul(h ^ source.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ 0xff, 0x01000193) >>> 0;
  }
  // Never 0: a token's 0 means "unknown".
  return h === 0 ? 1 : h;
}

function sourceOf(f: Function): string {
  let text: string;
  try {
    text = Function.prototype.toString.call(f);
  } catch {
    return '?';
  }
  return normalised(text);
}

/** Identifiers and literals, in order; the tokens a transpiler adds of its own (vite's import bindings, esbuild's helpers) left out. */
const TOKEN = /[A-Za-z_$][\w$]*|\d[\w.]*|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g;
const TRANSPILER_NAME = /^(?:__vite_ssr_\w*|__name|__publicField|__privateAdd|__privateGet|__privateSet|__defProp|__export)$/;

/**
 * The same function reads differently through different transpilers: tsx
 * prints `(rt,config)=>new Q(rt)`, vitest `(rt, config) => new
 * __vite_ssr_import_1__.Q(rt)`. A token recorded by the CLI must replay
 * under vitest and back, so only what the author wrote counts: identifiers
 * and literals in order (quotes made one kind), without whitespace,
 * comments, punctuation, or the names transpilers bring.
 */
function normalised(text: string): string {
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(^|[^:'"`\\])\/\/[^\n]*/g, '$1 ')
    // esbuild's keepNames, as tsx sets it: `static{__name(this,"Q")}` in a class, `__name(fn,"f")` around a function.
    .replace(/static\s*\{\s*__name\(\s*this\s*,\s*(["'])[^"']*\1\s*\)\s*;?\s*\}/g, ' ')
    .replace(/__name\(\s*([\w$]+)\s*,\s*(["'])[^"']*\2\s*\)/g, '$1')
    // vite's SSR transform: `(0, __vite_ssr_import_1__.f)(x)` for an imported `f(x)`.
    .replace(/\(\s*0\s*,\s*__vite_ssr_\w+__\.([\w$]+)\s*\)/g, '$1');
  const out: string[] = [];
  for (const token of code.match(TOKEN) ?? []) {
    if (TRANSPILER_NAME.test(token)) continue;
    const quote = token[0];
    out.push(quote === '"' || quote === "'" || quote === '`' ? `'${token.slice(1, -1)}'` : token);
  }
  return out.join(' ');
}
