/**
 * How much fuzzing a run does. `npm test` keeps CI inside its time with a
 * modest count and a fixed seed (a failure there reproduces as it is);
 * FUZZ_SCALE multiplies the counts and FUZZ_SEED moves every suite to other
 * cases, for a longer hunt by hand: `FUZZ_SCALE=10 FUZZ_SEED=7 npx vitest run test/fuzz`.
 * fast-check prints the seed and the shrunk case of any failure.
 */
const scale = Number(process.env.FUZZ_SCALE ?? 1);
const shift = Number(process.env.FUZZ_SEED ?? 0);

export function fuzzRuns(runs: number): number {
  return Math.max(1, Math.round(runs * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

export function fuzzSeed(seed: number): number {
  return (seed + (Number.isInteger(shift) ? shift : 0)) | 0;
}
