/**
 * The shortest cycle that the end of a step sequence keeps repeating, as
 * seen by a livelock: one turn of it, oldest first. Asks for three full turns
 * so that a pattern seen once is not mistaken for a cycle; when none is
 * found, returns the last steps as they are.
 */
export function findRepeatingCycle(labels: readonly string[], turns = 3): string[] {
  const n = labels.length;
  for (let period = 1; period * turns <= n; period++) {
    let repeats = true;
    for (let i = n - period * (turns - 1); i < n && repeats; i++) repeats = labels[i] === labels[i - period];
    if (repeats) return labels.slice(n - period);
  }
  return labels.slice(Math.max(0, n - 12));
}
