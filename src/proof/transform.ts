/**
 * Proof mode's load-time transform: rewrites a module's JavaScript (after
 * tsx has compiled it) so that every access to state another thread could
 * see is reported to the collector (`__p`, bound to `globalThis[PROOF]`):
 *
 * - property reads and writes (`o.k`, `o[k]`, `o.k = v`, `o.k += v`,
 *   `o.k++`, `delete o.k`), `k in o`, spreads and iteration (the whole
 *   object read);
 * - calls: the callee is checked (`__p.k`, `__p.m`): a function of an
 *   instrumented module, a harness function, or a native whose effect is
 *   known (an array's push writes it, a Map's get reads it); anything else
 *   makes the step opaque;
 * - closure variables: a variable assigned after its declaration and used
 *   from a function other than the one declaring it (module variables
 *   included) is a location of its own;
 * - promises: each promise is a location (its cell): `await` and `.then`
 *   on it, a call of its resolver, the completion of the async function it
 *   came from touch that one; a promise whose origin is not known (an async
 *   function called from code not instrumented, a native's) touches one
 *   shared pseudo-location instead (conservative);
 * - every function made here is registered as instrumented.
 *
 * Reads of `this.k` inside a class's methods are not reported when `k` is
 * only ever assigned in that class's constructor or field initializers in
 * this module ("final"): they can conflict with nothing. A write to a
 * property of such a name anywhere else, at run time, makes its step
 * opaque, so the shortcut stays sound.
 *
 * Edits are insertions at node boundaries and replacements of the
 * punctuation between children, so nested rewrites compose.
 */
import { parse, type Node } from 'acorn';

type AnyNode = Node & Record<string, unknown> & { type: string; start: number; end: number };

const P = '__p';
/** The name of an async function invocation's cell (its promise's location), declared at the top of its body. */
const CELL = '__pc';

interface Insert {
  readonly pos: number;
  /** 0 closes (suffix), 1 opens (prefix). */
  readonly side: 0 | 1;
  readonly depth: number;
  readonly text: string;
  readonly seq: number;
}

class Edits {
  readonly inserts: Insert[] = [];
  readonly deletes: [number, number][] = [];
  private seq = 0;

  prefix(pos: number, depth: number, text: string): void {
    this.inserts.push({ pos, side: 1, depth, text, seq: this.seq++ });
  }
  suffix(pos: number, depth: number, text: string): void {
    this.inserts.push({ pos, side: 0, depth, text, seq: this.seq++ });
  }
  delete(start: number, end: number): void {
    if (end > start) this.deletes.push([start, end]);
  }

  apply(source: string): string {
    const ins = [...this.inserts].sort(
      (a, b) => a.pos - b.pos || a.side - b.side || (a.side === 0 ? b.depth - a.depth : a.depth - b.depth) || a.seq - b.seq,
    );
    const dels = [...this.deletes].sort((a, b) => a[0] - b[0]);
    let out = '';
    let at = 0;
    let i = 0;
    let d = 0;
    while (at <= source.length) {
      while (i < ins.length && ins[i]!.pos === at) out += ins[i++]!.text;
      if (d < dels.length && dels[d]![0] === at) {
        const end = dels[d]![1];
        d++;
        // Insertions inside a deleted range belong to its end (none are made there, but keep them).
        while (i < ins.length && ins[i]!.pos < end) out += ins[i++]!.text;
        at = end;
        continue;
      }
      if (at === source.length) break;
      const next = Math.min(i < ins.length ? ins[i]!.pos : source.length, d < dels.length ? dels[d]![0] : source.length);
      out += source.slice(at, next === at ? at + 1 : next);
      at = next === at ? at + 1 : next;
    }
    return out;
  }
}

/** The position of the first character of `chars` at or after `from`, skipping blanks, comments and closing parentheses. */
function scanTo(source: string, from: number, chars: string): number {
  let i = from;
  while (i < source.length) {
    const c = source[i]!;
    if (chars.includes(c)) return i;
    if (c === '/' && source[i + 1] === '/') {
      i = source.indexOf('\n', i);
      if (i < 0) return source.length;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      i = source.indexOf('*/', i + 2) + 2;
      continue;
    }
    i++;
  }
  return i;
}

interface Scope {
  readonly parent: Scope | undefined;
  /** The function (or program) the scope belongs to. */
  readonly fn: AnyNode;
  readonly names: Map<string, Binding>;
}

interface Binding {
  readonly name: string;
  readonly scope: Scope;
  readonly kind: 'var' | 'let' | 'const' | 'param' | 'function' | 'class' | 'import' | 'catch';
  readonly start: number;
  /** Assigned somewhere other than its declaration. */
  assigned: boolean;
  /** Used from a function other than the one declaring it. */
  captured: boolean;
  readonly refs: Ref[];
}

interface Ref {
  readonly node: AnyNode;
  readonly fn: AnyNode;
  readonly write: boolean;
  readonly depth: number;
}

export interface TransformResult {
  readonly code: string;
  /** Property names treated as final (their reads by `this.k` in methods unreported). */
  readonly finals: readonly string[];
}

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** Instruments one module's JavaScript. `id` names it in the locations of its closure variables. */
export function instrument(source: string, id: string): TransformResult {
  const program = parse(source, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true }) as unknown as AnyNode;
  const edits = new Edits();
  const parents = new Map<AnyNode, AnyNode>();
  const children = (node: AnyNode): AnyNode[] => {
    const out: AnyNode[] = [];
    for (const key of Object.keys(node)) {
      if (key === 'type' || key === 'start' || key === 'end') continue;
      const value = node[key];
      if (Array.isArray(value)) {
        for (const v of value) if (v !== null && typeof v === 'object' && typeof (v as AnyNode).type === 'string') out.push(v as AnyNode);
      } else if (value !== null && typeof value === 'object' && typeof (value as AnyNode).type === 'string') out.push(value as AnyNode);
    }
    return out;
  };
  const link = (node: AnyNode): void => {
    for (const child of children(node)) {
      parents.set(child, node);
      link(child);
    }
  };
  link(program);

  const enclosingFunction = (node: AnyNode): AnyNode | undefined => {
    for (let n: AnyNode | undefined = parents.get(node); n !== undefined; n = parents.get(n)) if (FUNCTIONS.has(n.type)) return n;
    return undefined;
  };

  // ---- finals: class fields assigned only in their constructor ----
  const assignedNames = new Set<string>();
  const classFields = new Map<AnyNode, Set<string>>();
  const inConstructorOf = (node: AnyNode): AnyNode | undefined => {
    // The class whose constructor this node is directly in (arrows included, other functions not).
    for (let n: AnyNode | undefined = parents.get(node); n !== undefined; n = parents.get(n)) {
      if (n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration') {
        const method = parents.get(n);
        if (method?.type === 'MethodDefinition' && method.kind === 'constructor') return parents.get(parents.get(method)!);
        return undefined;
      }
      if (n.type === 'PropertyDefinition') return parents.get(parents.get(n)!);
    }
    return undefined;
  };
  const memberName = (m: AnyNode): string | undefined => {
    if (m.computed === true) {
      const p = m.property as AnyNode;
      return p.type === 'Literal' && typeof p.value === 'string' ? p.value : undefined;
    }
    const p = m.property as AnyNode;
    return p.type === 'Identifier' ? (p.name as string) : p.type === 'PrivateIdentifier' ? `#${p.name as string}` : undefined;
  };
  const visitFinals = (node: AnyNode): void => {
    if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') {
      const fields = new Set<string>();
      for (const member of (node.body as AnyNode).body as AnyNode[]) {
        if (member.type === 'PropertyDefinition' && member.static !== true && member.computed !== true) {
          const key = member.key as AnyNode;
          fields.add(key.type === 'PrivateIdentifier' ? `#${key.name as string}` : key.type === 'Identifier' ? (key.name as string) : String(key.value));
        }
      }
      classFields.set(node, fields);
    }
    const target =
      node.type === 'AssignmentExpression' ? (node.left as AnyNode) : node.type === 'UpdateExpression' ? (node.argument as AnyNode) : node.type === 'UnaryExpression' && node.operator === 'delete' ? (node.argument as AnyNode) : undefined;
    if (target?.type === 'MemberExpression') {
      const name = memberName(target);
      const cls = inConstructorOf(node);
      if (name !== undefined && (cls === undefined || (target.object as AnyNode).type !== 'ThisExpression')) assignedNames.add(name);
      if (name !== undefined && cls !== undefined && (target.object as AnyNode).type === 'ThisExpression') classFields.get(cls)?.add(name);
    }
    for (const child of children(node)) visitFinals(child);
  };
  visitFinals(program);
  const finalsOf = new Map<AnyNode, Set<string>>();
  const allFinals = new Set<string>();
  for (const [cls, fields] of classFields) {
    const finals = new Set([...fields].filter((f) => !assignedNames.has(f)));
    finalsOf.set(cls, finals);
    for (const f of finals) allFinals.add(f);
  }
  /** The class whose method (or arrow inside one) `node` is in, where `this` is the instance. */
  const thisClass = (node: AnyNode): AnyNode | undefined => {
    for (let n: AnyNode | undefined = parents.get(node); n !== undefined; n = parents.get(n)) {
      if (n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration') {
        const method = parents.get(n);
        if (method?.type === 'MethodDefinition' && method.static !== true) return parents.get(parents.get(method)!);
        return undefined;
      }
      if (n.type === 'PropertyDefinition') return n.static === true ? undefined : parents.get(parents.get(n)!);
    }
    return undefined;
  };

  // ---- scopes: which variables are shared locations ----
  const scopeOf = new Map<AnyNode, Scope>();
  const refs: { node: AnyNode; scope: Scope; fn: AnyNode; write: boolean; depth: number }[] = [];
  const declare = (scope: Scope, name: string, kind: Binding['kind'], start: number): void => {
    if (!scope.names.has(name)) scope.names.set(name, { name, scope, kind, start, assigned: false, captured: false, refs: [] });
  };
  const functionScope = (scope: Scope): Scope => {
    let f = scope;
    while (f.parent !== undefined && f.parent.fn === scope.fn) f = f.parent;
    return f;
  };
  const patternNames = (pattern: AnyNode, out: AnyNode[]): void => {
    switch (pattern.type) {
      case 'Identifier':
        out.push(pattern);
        break;
      case 'ObjectPattern':
        for (const p of pattern.properties as AnyNode[]) patternNames(p.type === 'RestElement' ? (p.argument as AnyNode) : (p.value as AnyNode), out);
        break;
      case 'ArrayPattern':
        for (const e of pattern.elements as (AnyNode | null)[]) if (e !== null) patternNames(e, out);
        break;
      case 'RestElement':
        patternNames(pattern.argument as AnyNode, out);
        break;
      case 'AssignmentPattern':
        patternNames(pattern.left as AnyNode, out);
        break;
    }
  };
  const bindingIds = new Set<AnyNode>();
  const collect = (node: AnyNode, scope: Scope, fn: AnyNode): void => {
    let inner = scope;
    let innerFn = fn;
    if (FUNCTIONS.has(node.type)) {
      innerFn = node;
      inner = { parent: scope, fn: node, names: new Map() };
      scopeOf.set(node, inner);
      if (node.type === 'FunctionExpression' && node.id !== null && node.id !== undefined) declare(inner, (node.id as AnyNode).name as string, 'function', node.start);
      for (const param of node.params as AnyNode[]) {
        const ids: AnyNode[] = [];
        patternNames(param, ids);
        for (const id of ids) {
          declare(inner, id.name as string, 'param', id.start);
          bindingIds.add(id);
        }
      }
    } else if (node.type === 'BlockStatement' || node.type === 'ForStatement' || node.type === 'ForInStatement' || node.type === 'ForOfStatement' || node.type === 'SwitchStatement' || node.type === 'CatchClause' || node.type === 'StaticBlock') {
      if (!(node.type === 'BlockStatement' && FUNCTIONS.has(parents.get(node)?.type ?? ''))) {
        inner = { parent: scope, fn, names: new Map() };
        scopeOf.set(node, inner);
      }
      if (node.type === 'CatchClause' && node.param !== null && node.param !== undefined) {
        const ids: AnyNode[] = [];
        patternNames(node.param as AnyNode, ids);
        for (const id of ids) {
          declare(inner, id.name as string, 'catch', id.start);
          bindingIds.add(id);
        }
      }
    }
    if (node.type === 'VariableDeclaration') {
      const kind = node.kind === 'var' ? 'var' : node.kind === 'const' ? 'const' : 'let';
      const target = kind === 'var' ? functionScope(scope) : scope;
      for (const d of node.declarations as AnyNode[]) {
        const ids: AnyNode[] = [];
        patternNames(d.id as AnyNode, ids);
        for (const id of ids) {
          declare(target, id.name as string, kind, id.start);
          bindingIds.add(id);
        }
      }
    } else if (node.type === 'FunctionDeclaration' && node.id !== null) {
      declare(scope, (node.id as AnyNode).name as string, 'function', node.start);
      bindingIds.add(node.id as AnyNode);
    } else if (node.type === 'ClassDeclaration' && node.id !== null) {
      declare(scope, (node.id as AnyNode).name as string, 'class', node.start);
      bindingIds.add(node.id as AnyNode);
    } else if (node.type === 'ImportDeclaration') {
      for (const s of node.specifiers as AnyNode[]) {
        declare(scope, (s.local as AnyNode).name as string, 'import', s.start);
        bindingIds.add(s.local as AnyNode);
      }
    } else if (node.type === 'Identifier' && !bindingIds.has(node) && isReference(node, parents)) {
      refs.push({ node, scope, fn, write: isWriteTarget(node, parents), depth: 0 });
    }
    for (const child of children(node)) collect(child, inner, innerFn);
  };
  const programScope: Scope = { parent: undefined, fn: program, names: new Map() };
  scopeOf.set(program, programScope);
  collect(program, programScope, program);
  for (const ref of refs) {
    let binding: Binding | undefined;
    for (let s: Scope | undefined = ref.scope; s !== undefined; s = s.parent) {
      binding = s.names.get(ref.node.name as string);
      if (binding !== undefined) break;
    }
    if (binding === undefined) continue;
    if (ref.write) binding.assigned = true;
    if (ref.fn !== binding.scope.fn) binding.captured = true;
    binding.refs.push(ref);
  }
  const tracked = new Set<Binding>();
  const visitBindings = (scope: Scope): void => {
    for (const b of scope.names.values()) {
      if (b.kind === 'const' || b.kind === 'import' || b.kind === 'class') continue;
      if (b.assigned && b.captured) tracked.add(b);
    }
  };
  for (const scope of scopeOf.values()) visitBindings(scope);
  const trackedRef = new Map<AnyNode, Binding>();
  for (const b of tracked) for (const r of b.refs) if (r.fn !== program || b.scope.fn !== program) trackedRef.set(r.node, b);
  const declaredTracked = (id: AnyNode): Binding | undefined => {
    for (const b of tracked) if (b.start === id.start && b.name === id.name) return b;
    return undefined;
  };
  const varKey = (b: Binding): string => JSON.stringify(`${b.name}@${b.start}`);

  // ---- rewriting ----
  let temps = 0;
  const temp = (): string => `__t${temps++}`;
  const literal = (name: string): string => JSON.stringify(name);
  let asyncBodies = 0;

  const visit = (node: AnyNode, depth: number, inChain: boolean): void => {
    const parent = parents.get(node);
    switch (node.type) {
      case 'ChainExpression':
        visit(node.expression as AnyNode, depth + 1, true);
        return;
      case 'MemberExpression': {
        const object = node.object as AnyNode;
        if (object.type === 'Super') break;
        if (parent?.type === 'TaggedTemplateExpression' && parent.tag === node) break;
        if ((node.property as AnyNode).type === 'PrivateIdentifier') {
          const t = temp();
          const dot = scanTo(source, object.end, '.?');
          edits.prefix(node.start, depth, `(${t} = `);
          edits.suffix(dot, depth, `, ${P}.r(${t}, ${literal(memberName(node)!)}), ${t}`);
          edits.suffix(node.end, depth, ')');
          visit(object, depth + 1, inChain);
          return;
        }
        const name = memberName(node);
        // this.k of a final field, read in a method of its class: nothing to report.
        if (object.type === 'ThisExpression' && node.computed !== true && name !== undefined) {
          const cls = thisClass(node);
          if (cls !== undefined && finalsOf.get(cls)?.has(name) === true && !isWriteTarget(node, parents)) return;
        }
        // `o?.[k]`: the '?' opens it (a scan for '[' alone would skip the '?.').
        const dot = scanTo(source, object.end, node.computed === true ? (node.optional === true ? '?' : '[') : '.?');
        const fn = inChain ? 'go' : 'g';
        edits.prefix(node.start, depth, `${P}.${fn}(`);
        if (node.computed === true) {
          const open = node.optional === true ? scanTo(source, dot + 2, '[') : dot;
          edits.delete(dot, open + 1);
          edits.suffix(dot, depth, ', ');
          edits.delete(node.end - 1, node.end);
          edits.suffix(node.end - 1, depth, ')');
          visit(object, depth + 1, inChain);
          visit(node.property as AnyNode, depth + 1, false);
        } else {
          const key = literal((node.property as AnyNode).name as string);
          edits.delete(dot, node.end);
          edits.suffix(dot, depth, `, ${key})`);
          visit(object, depth + 1, inChain);
        }
        return;
      }
      case 'AssignmentExpression': {
        const left = node.left as AnyNode;
        if (left.type === 'MemberExpression' && (left.object as AnyNode).type !== 'Super') {
          const ctor = inConstructorOf(node) !== undefined && (left.object as AnyNode).type === 'ThisExpression';
          rewriteMemberWrite(node, left, depth, ctor);
          return;
        }
        if (left.type === 'Identifier') {
          const b = trackedRef.get(left);
          if (b !== undefined) edits.prefix(node.start, depth, `(${P}.vw(__ps, ${varKey(b)}), `), edits.suffix(node.end, depth, ')');
          visit(node.right as AnyNode, depth + 1, false);
          return;
        }
        // A pattern: report its member targets as opaque writes, its tracked variables as writes.
        if (containsMember(left)) edits.prefix(node.start, depth, `(${P}.opaque('a property assigned by destructuring'), `), edits.suffix(node.end, depth, ')');
        const ids: AnyNode[] = [];
        patternNames(left, ids);
        for (const id of ids) {
          const b = trackedRef.get(id);
          if (b !== undefined) edits.prefix(node.start, depth, `(${P}.vw(__ps, ${varKey(b)}), `), edits.suffix(node.end, depth, ')');
        }
        visit(node.right as AnyNode, depth + 1, false);
        for (const child of children(left)) if (child.type !== 'Identifier') visit(child, depth + 1, false);
        return;
      }
      case 'UpdateExpression': {
        const arg = node.argument as AnyNode;
        if (arg.type === 'MemberExpression' && (arg.property as AnyNode).type === 'PrivateIdentifier') {
          privateWrite(node, arg.object as AnyNode, depth);
          return;
        }
        if (arg.type === 'MemberExpression' && (arg.object as AnyNode).type !== 'Super') {
          const object = arg.object as AnyNode;
          const dot = scanTo(source, object.end, arg.computed === true ? '[' : '.');
          const delta = node.operator === '++' ? 1 : -1;
          edits.prefix(node.start, depth, `${P}.u(`);
          if (node.prefix === true) edits.delete(node.start, object.start);
          if (arg.computed === true) {
            edits.delete(dot, dot + 1);
            edits.suffix(dot, depth, ', ');
            const close = scanTo(source, (arg.property as AnyNode).end, ']');
            edits.delete(close, node.end);
            edits.suffix(close, depth, `, ${delta}, ${node.prefix === true})`);
            visit(object, depth + 1, false);
            visit(arg.property as AnyNode, depth + 1, false);
          } else {
            edits.delete(dot, node.end);
            edits.suffix(dot, depth, `, ${literal((arg.property as AnyNode).name as string)}, ${delta}, ${node.prefix === true})`);
            visit(object, depth + 1, false);
          }
          return;
        }
        if (arg.type === 'Identifier') {
          const b = trackedRef.get(arg);
          if (b !== undefined) edits.prefix(node.start, depth, `(${P}.vw(__ps, ${varKey(b)}), `), edits.suffix(node.end, depth, ')');
        }
        return;
      }
      case 'UnaryExpression': {
        const arg = node.argument as AnyNode;
        if (node.operator === 'delete' && arg.type === 'MemberExpression') {
          const object = arg.object as AnyNode;
          const dot = scanTo(source, object.end, arg.computed === true ? '[' : '.');
          edits.delete(node.start, object.start);
          edits.prefix(node.start, depth, `${P}.d(`);
          if (arg.computed === true) {
            edits.delete(dot, dot + 1);
            edits.suffix(dot, depth, ', ');
            edits.delete(arg.end - 1, arg.end);
            edits.suffix(arg.end - 1, depth, ')');
            visit(object, depth + 1, false);
            visit(arg.property as AnyNode, depth + 1, false);
          } else {
            edits.delete(dot, arg.end);
            edits.suffix(dot, depth, `, ${literal((arg.property as AnyNode).name as string)})`);
            visit(object, depth + 1, false);
          }
          return;
        }
        if (node.operator === 'typeof' && arg.type === 'Identifier') return;
        break;
      }
      case 'BinaryExpression':
        if (node.operator === 'in' && (node.left as AnyNode).type !== 'PrivateIdentifier') {
          edits.prefix(node.start, depth, `${P}.has(`);
          const op = scanTo(source, (node.left as AnyNode).end, 'i');
          edits.delete(op, op + 2);
          edits.suffix(op, depth, ',');
          edits.suffix(node.end, depth, ')');
          visit(node.left as AnyNode, depth + 1, false);
          visit(node.right as AnyNode, depth + 1, false);
          return;
        }
        break;
      case 'CallExpression': {
        const callee = node.callee as AnyNode;
        if (callee.type === 'Super' || callee.type === 'Import') break;
        if (callee.type === 'MemberExpression' && ((callee.object as AnyNode).type === 'Super' || (callee.property as AnyNode).type === 'PrivateIdentifier')) {
          // super.m(), this.#m(): the class's own methods, instrumented with it.
          if ((callee.object as AnyNode).type !== 'Super') visit(callee.object as AnyNode, depth + 1, inChain);
          for (const a of node.arguments as AnyNode[]) visit(a, depth + 1, false);
          return;
        }
        if (callee.type === 'Identifier' && callee.name === 'eval') {
          edits.prefix(node.start, depth, `(${P}.opaque('eval'), `);
          edits.suffix(node.end, depth, ')');
          break;
        }
        const args = node.arguments as AnyNode[];
        const open = scanTo(source, callee.end, '(');
        // An async function's promise is given its invocation's cell as the call returns (not inside an optional chain: the wrapper would break its short circuit).
        if (!inChain) {
          edits.prefix(node.start, depth - 0.5, `${P}.ret(${P}.mk(), `);
          edits.suffix(node.end, depth - 0.5, ')');
        }
        if (callee.type === 'MemberExpression' && (callee.object as AnyNode).type !== 'Super' && (callee.property as AnyNode).type !== 'PrivateIdentifier') {
          const object = callee.object as AnyNode;
          const t = temp();
          const dot = scanTo(source, object.end, callee.computed === true ? (callee.optional === true ? '?' : '[') : '.?');
          const fn = inChain ? 'mo' : 'm';
          edits.prefix(node.start, depth, `(${t} = `);
          if (callee.computed === true) {
            const bracket = callee.optional === true ? scanTo(source, dot + 2, '[') : dot;
            edits.delete(dot, bracket + 1);
            edits.suffix(dot, depth, `, ${P}.${fn}(${t}, `);
            const close = callee.end - 1;
            edits.delete(close, open + 1);
            edits.suffix(close, depth, `))${node.optional === true || inChain ? '?.' : '.'}call(${t}${args.length > 0 ? ', ' : ''}`);
            visit(object, depth + 1, inChain);
            visit(callee.property as AnyNode, depth + 1, false);
          } else {
            edits.delete(dot, open + 1);
            edits.suffix(dot, depth, `, ${P}.${fn}(${t}, ${literal((callee.property as AnyNode).name as string)}))${node.optional === true || inChain ? '?.' : '.'}call(${t}${args.length > 0 ? ', ' : ''}`);
            visit(object, depth + 1, inChain);
          }
          for (const a of args) visit(a, depth + 1, false);
          return;
        }
        edits.prefix(node.start, depth, `${P}.k(`);
        edits.suffix(callee.end, depth, ')');
        visit(callee, depth + 1, inChain);
        for (const a of args) visit(a, depth + 1, false);
        return;
      }
      case 'NewExpression': {
        const callee = node.callee as AnyNode;
        if (callee.type === 'Identifier' && callee.name === 'Promise') {
          // new Promise(executor): its resolvers are known, so calling them is no opaque step.
          edits.delete(node.start, callee.end);
          edits.prefix(node.start, depth, `${P}.np(Promise`);
          const open = scanTo(source, callee.end, '(');
          edits.delete(open, open + 1);
          edits.suffix(open, depth, (node.arguments as AnyNode[]).length > 0 ? ', ' : '');
          for (const a of node.arguments as AnyNode[]) visit(a, depth + 1, false);
          return;
        }
        edits.prefix(callee.start, depth, `(${P}.k(`);
        edits.suffix(callee.end, depth, '))');
        visit(callee, depth + 1, false);
        for (const a of node.arguments as AnyNode[]) visit(a, depth + 1, false);
        return;
      }
      case 'ReturnStatement': {
        const fn = enclosingFunction(node);
        const arg = node.argument as AnyNode | null | undefined;
        if (fn !== undefined && fn.async === true && fn.generator !== true && arg !== null && arg !== undefined) {
          // What an async function returns its promise adopts: a promise returned links the two.
          edits.prefix(arg.start, depth, `${P}.rv(${CELL}, `);
          edits.suffix(arg.end, depth, ')');
        }
        break;
      }
      case 'AwaitExpression':
        edits.prefix((node.argument as AnyNode).start, depth, `${P}.aw(`);
        edits.suffix((node.argument as AnyNode).end, depth, ')');
        break;
      case 'SpreadElement':
        if (parent?.type !== 'ObjectExpression') {
          edits.prefix((node.argument as AnyNode).start, depth, `${P}.all(`);
          edits.suffix((node.argument as AnyNode).end, depth, ')');
        } else {
          edits.prefix((node.argument as AnyNode).start, depth, `${P}.all(`);
          edits.suffix((node.argument as AnyNode).end, depth, ')');
        }
        break;
      case 'ForOfStatement':
      case 'ForInStatement': {
        const right = node.right as AnyNode;
        edits.prefix(right.start, depth, `${P}.all(`);
        edits.suffix(right.end, depth, ')');
        const left = node.left as AnyNode;
        if (left.type === 'MemberExpression' || (left.type !== 'VariableDeclaration' && containsMember(left))) {
          edits.prefix(right.start, depth, `(${P}.opaque('a property assigned by a for loop'), `);
          edits.suffix(right.end, depth, ')');
        }
        break;
      }
      case 'VariableDeclarator': {
        const id = node.id as AnyNode;
        if (id.type === 'Identifier' && node.init !== null && node.init !== undefined) {
          const b = declaredTracked(id);
          if (b !== undefined) {
            edits.prefix((node.init as AnyNode).start, depth, `(${P}.vw(__ps, ${varKey(b)}), `);
            edits.suffix((node.init as AnyNode).end, depth, ')');
          }
        }
        if (id.type !== 'Identifier' && node.init !== null && node.init !== undefined) {
          const init = node.init as AnyNode;
          edits.prefix(init.start, depth, `${P}.all(`);
          edits.suffix(init.end, depth, ')');
        }
        break;
      }
      case 'Identifier': {
        const b = trackedRef.get(node);
        if (b !== undefined && !isWriteTarget(node, parents) && !(parent?.type === 'Property' && parent.shorthand === true && parents.get(parent)?.type === 'ObjectPattern')) {
          if (parent?.type === 'Property' && parent.shorthand === true) {
            edits.suffix(node.end, depth, `: (${P}.vr(__ps, ${varKey(b)}), ${node.name as string})`);
          } else {
            edits.prefix(node.start, depth, `(${P}.vr(__ps, ${varKey(b)}), `);
            edits.suffix(node.end, depth, ')');
          }
        }
        return;
      }
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        const method = parent?.type === 'MethodDefinition' || (parent?.type === 'Property' && (parent.method === true || parent.kind !== 'init'));
        if (!method) {
          edits.prefix(node.start, depth, `${P}.f(`);
          edits.suffix(node.end, depth, ')');
        }
        if (node.async === true && node.generator !== true) wrapAsyncBody(node, depth);
        break;
      }
      case 'FunctionDeclaration': {
        if (node.id !== null && node.id !== undefined) {
          const host = parent?.type === 'ExportNamedDeclaration' || parent?.type === 'ExportDefaultDeclaration' ? parents.get(parent)! : parent!;
          registerAt(host, `${P}.f(${(node.id as AnyNode).name as string});`);
        }
        if (node.async === true && node.generator !== true) wrapAsyncBody(node, depth);
        break;
      }
      case 'ClassDeclaration':
        if (node.id !== null && node.id !== undefined) {
          edits.suffix(node.end, depth, `\n${P}.cls(${(node.id as AnyNode).name as string});`);
        }
        break;
      case 'ClassExpression':
        edits.prefix(node.start, depth, `${P}.cls(`);
        edits.suffix(node.end, depth, ')');
        break;
      case 'ObjectExpression':
        if ((node.properties as AnyNode[]).some((p) => p.type === 'Property' && (p.method === true || p.kind !== 'init'))) {
          edits.prefix(node.start, depth, `${P}.obj(`);
          edits.suffix(node.end, depth, ')');
        }
        break;
    }
    for (const child of children(node)) visit(child, depth + 1, inChain && node.type !== 'CallExpression');
  };

  const registered = new Map<AnyNode, string[]>();
  const registerAt = (host: AnyNode, text: string): void => {
    const list = registered.get(host) ?? [];
    list.push(text);
    registered.set(host, list);
  };

  const wrapAsyncBody = (fn: AnyNode, depth: number): void => {
    const body = fn.body as AnyNode;
    asyncBodies++;
    if (body.type === 'BlockStatement') {
      edits.suffix(body.start + 1, depth, ` const ${CELL} = ${P}.enter(); try {`);
      edits.prefix(body.end - 1, depth, `} finally { ${P}.done(${CELL}); } `);
    } else {
      const arrow = source.lastIndexOf('=>', body.start) + 2;
      edits.suffix(arrow, depth, ` { const ${CELL} = ${P}.enter(); try { return ${P}.rv(${CELL}, (`);
      edits.suffix(fn.end, depth + 1, `)); } finally { ${P}.done(${CELL}); } }`);
    }
  };

  /** `o.#x = v`, `o.#x++`: `(t = o, __p.w(t, '#x'), t.#x = v)`. */
  const privateWrite = (node: AnyNode, object: AnyNode, depth: number): void => {
    const t = temp();
    const dot = scanTo(source, object.end, '.');
    const member = node.type === 'UpdateExpression' ? (node.argument as AnyNode) : (node.left as AnyNode);
    edits.prefix(node.start, depth, `(${t} = `);
    if (node.type === 'UpdateExpression' && node.prefix === true) {
      edits.delete(node.start, object.start);
      edits.suffix(dot, depth, `, ${P}.w(${t}, ${literal(memberName(member)!)}), ${node.operator as string}${t}`);
    } else {
      edits.suffix(dot, depth, `, ${P}.w(${t}, ${literal(memberName(member)!)}), ${t}`);
    }
    edits.suffix(node.end, depth, ')');
    visit(object, depth + 1, false);
  };

  const rewriteMemberWrite = (node: AnyNode, left: AnyNode, depth: number, ctor: boolean): void => {
    const object = left.object as AnyNode;
    const right = node.right as AnyNode;
    const op = node.operator as string;
    const dot = scanTo(source, object.end, left.computed === true ? '[' : '.');
    const set = ctor ? 'sc' : 's';
    const prop = left.property as AnyNode;
    if (prop.type === 'PrivateIdentifier') {
      privateWrite(node, object, depth);
      visit(right, depth + 1, false);
      return;
    }
    const opAt = scanTo(source, left.end, '=&|?+-*/%<>^');
    if (op === '=') {
      edits.prefix(node.start, depth, `${P}.${set}(`);
      if (left.computed === true) {
        edits.delete(dot, dot + 1);
        edits.suffix(dot, depth, ', ');
        edits.delete(left.end - 1, right.start);
        edits.suffix(left.end - 1, depth, ', ');
        visit(prop, depth + 1, false);
      } else {
        edits.delete(dot, right.start);
        edits.suffix(dot, depth, `, ${literal(prop.name as string)}, `);
      }
      edits.suffix(node.end, depth, ')');
      visit(object, depth + 1, false);
      visit(right, depth + 1, false);
      return;
    }
    const t = temp();
    const k = left.computed === true ? temp() : undefined;
    const key = k ?? literal(prop.name as string);
    const logical = op === '&&=' || op === '||=' || op === '??=';
    const bin = op.slice(0, -1);
    edits.prefix(node.start, depth, logical ? `(${t} = ` : `${P}.${set}(${t} = `);
    if (left.computed === true) {
      edits.delete(dot, dot + 1);
      edits.suffix(dot, depth, `, ${k} = `);
      edits.delete(left.end - 1, right.start);
      edits.suffix(left.end - 1, depth, logical ? `, ${P}.g(${t}, ${k}) ${bin} ${P}.${set}(${t}, ${k}, ` : `, ${P}.g(${t}, ${k}) ${bin} (`);
      visit(prop, depth + 1, false);
    } else {
      edits.delete(dot, right.start);
      edits.suffix(dot, depth, logical ? `, ${P}.g(${t}, ${key}) ${bin} ${P}.${set}(${t}, ${key}, ` : `, ${key}, ${P}.g(${t}, ${key}) ${bin} (`);
    }
    void opAt;
    edits.suffix(node.end, depth, '))');
    visit(object, depth + 1, false);
    visit(right, depth + 1, false);
  };

  visit(program, 0, false);
  for (const [host, texts] of registered) {
    const at = host.type === 'Program' ? programStart(program, source) : host.type === 'BlockStatement' || host.type === 'StaticBlock' ? host.start + 1 : host.type === 'SwitchCase' ? -1 : -1;
    if (at >= 0) edits.suffix(at, 0, texts.join(' '));
    else if (host.type === 'SwitchCase') {
      // A function declared in a case clause: registered where it is declared (it is hoisted within the switch).
      for (const t of texts) edits.suffix(((host.consequent as AnyNode[])[0] ?? host).start, 0, t);
    }
  }
  const header =
    `const ${P} = globalThis[Symbol.for('interleave.proof')]; const __ps = ${P}.module(${JSON.stringify(id)});` +
    (temps > 0 ? ` let ${Array.from({ length: temps }, (_, i) => `__t${i}`).join(', ')};` : '') +
    (allFinals.size > 0 ? ` ${P}.final(${JSON.stringify([...allFinals])});` : '') +
    '\n';
  void asyncBodies;
  const code = edits.apply(source);
  const start = programStart(program, source);
  return { code: code.slice(0, start) + header + code.slice(start), finals: [...allFinals] };
}

/** Where code may be inserted at the top of the module: after a hashbang and any directive prologue? Imports are hoisted anyway. */
function programStart(program: AnyNode, source: string): number {
  if (source.startsWith('#!')) {
    const nl = source.indexOf('\n');
    return nl < 0 ? source.length : nl + 1;
  }
  void program;
  return 0;
}

function containsMember(pattern: AnyNode): boolean {
  switch (pattern.type) {
    case 'MemberExpression':
      return true;
    case 'ObjectPattern':
      return (pattern.properties as AnyNode[]).some((p) => containsMember(p.type === 'RestElement' ? (p.argument as AnyNode) : (p.value as AnyNode)));
    case 'ArrayPattern':
      return (pattern.elements as (AnyNode | null)[]).some((e) => e !== null && containsMember(e));
    case 'RestElement':
      return containsMember(pattern.argument as AnyNode);
    case 'AssignmentPattern':
      return containsMember(pattern.left as AnyNode);
    default:
      return false;
  }
}

/** Is this identifier a variable reference (not a property name, label, or key)? */
function isReference(node: AnyNode, parents: Map<AnyNode, AnyNode>): boolean {
  const parent = parents.get(node);
  if (parent === undefined) return false;
  switch (parent.type) {
    case 'MemberExpression':
      return parent.object === node || parent.computed === true;
    case 'Property':
      if (parent.key === node && parent.computed !== true) return parent.shorthand === true && parent.value === node;
      return true;
    case 'PropertyDefinition':
    case 'MethodDefinition':
      return parent.key !== node || parent.computed === true;
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
      return false;
    case 'ImportSpecifier':
    case 'ImportDefaultSpecifier':
    case 'ImportNamespaceSpecifier':
    case 'ExportSpecifier':
      return false;
    case 'MetaProperty':
      return false;
    default:
      return true;
  }
}

/** Is this identifier (or member) assigned here: the target of `=`, `op=`, `++`, or part of a destructuring target? */
function isWriteTarget(node: AnyNode, parents: Map<AnyNode, AnyNode>): boolean {
  let child = node;
  for (let parent = parents.get(node); parent !== undefined; child = parent, parent = parents.get(parent)) {
    switch (parent.type) {
      case 'AssignmentExpression':
        return parent.left === child;
      case 'UpdateExpression':
        return true;
      case 'ForOfStatement':
      case 'ForInStatement':
        return parent.left === child;
      case 'ArrayPattern':
      case 'ObjectPattern':
      case 'RestElement':
        continue;
      case 'AssignmentPattern':
        if (parent.left === child) continue;
        return false;
      case 'Property':
        if (parents.get(parent)?.type === 'ObjectPattern' && parent.value === child) continue;
        return false;
      default:
        return false;
    }
  }
  return false;
}
