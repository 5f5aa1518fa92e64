/**
 * The physical limit of one step: two async tasks handing control to each
 * other through promise resolvers, nothing else. Run standalone it measures a
 * process without async hooks; imported after Interleave, a process where
 * AsyncLocalStorage has switched promise hooks on.
 */
export async function handoffsPerSecond(handoffs = 2_000_000): Promise<number> {
  let wakeA: (() => void) | undefined;
  let wakeB: (() => void) | undefined;
  let count = 0;
  const started = performance.now();
  await new Promise<void>((done) => {
    const a = async (): Promise<void> => {
      for (;;) {
        await new Promise<void>((r) => (wakeA = r));
        const b = wakeB;
        wakeB = undefined;
        b?.();
      }
    };
    const b = async (): Promise<void> => {
      for (;;) {
        if (++count >= handoffs) return done();
        const w = wakeA;
        wakeA = undefined;
        w?.();
        await new Promise<void>((r) => (wakeB = r));
      }
    };
    void a();
    void b();
  });
  return handoffs / ((performance.now() - started) / 1000);
}

if (process.argv[1]?.endsWith('handoff.ts')) {
  const rate = await handoffsPerSecond();
  process.stdout.write(`${JSON.stringify({ rate })}\n`);
}
