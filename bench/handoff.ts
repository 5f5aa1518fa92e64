/**
 * The physical limit of one step: two async tasks handing control to each
 * other through promise resolvers, nothing else. Run standalone, in a fresh
 * process: without async hooks, or with `--hooks`, after AsyncLocalStorage
 * has switched promise hooks on (as an execution with async context does).
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
  if (process.argv.includes('--hooks')) {
    const { AsyncLocalStorage } = await import('node:async_hooks');
    new AsyncLocalStorage().enterWith({});
  }
  const rate = await handoffsPerSecond();
  process.stdout.write(`${JSON.stringify({ rate })}\n`);
}
