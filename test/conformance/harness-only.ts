/**
 * Outcomes only the harness produced that no directed real run reproduces
 * (directed.ts), each with the mechanism by which real Node produces it,
 * shown by a targeted real run of its own: the conformance check runs it
 * again and counts the entry only when it comes to the outcome on real Node.
 * An outcome that real Node cannot produce at all is a false alarm of the
 * harness: it is fixed in the harness, never listed here.
 */
export interface Explanation {
  /** The scenario's name, as the conformance check prints it. */
  readonly scenario: string;
  /** The outcome, exactly as the scenario's `outcome` writes it (or `hang`). */
  readonly outcome: string;
  /** How real Node comes to it, in words. */
  readonly mechanism: string;
  /** A targeted real run (real timers, realRuntime, plain Node) that comes to it: its outcome. */
  realRun(): Promise<string>;
}

export const EXPLAINED: readonly Explanation[] = [];
