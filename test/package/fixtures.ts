/** Files the package test writes into its projects, where they differ by module kind. */

export type ModuleKind = 'module' | 'commonjs';

/**
 * A scenario file in plain JavaScript, as a project of that kind writes one:
 * a counter that loses an increment, declared as expecting that bug, so the
 * CLI passes it and prints its replay line.
 */
export function javascriptScenario(kind: ModuleKind): string {
  const body = `defineScenario({
  name: 'racy counter (js)',
  setup: () => ({ count: 0 }),
  threads: Object.fromEntries(['a', 'b'].map((name) => [name, async (s, rt) => {
    const seen = s.count;
    await rt.yield();
    s.count = seen + 1;
  }])),
  final: (s) => s.count === 2 || \`count is \${s.count}, an increment was lost\`,
  expected: 'invariant',
})`;
  return kind === 'module'
    ? `import { defineScenario } from 'interleave';\n\nexport default ${body};\n`
    : `const { defineScenario } = require('interleave');\n\nmodule.exports = ${body};\n`;
}
