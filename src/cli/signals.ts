export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The exit code of a run stopped by a signal, as a shell reports a process killed by it: 128 + its number. */
export function signalExitCode(signal: StopSignal): number {
  return signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143;
}

/**
 * Ctrl-C, SIGTERM and SIGHUP (the terminal closed, the ssh session dropped)
 * stop the exploration cleanly: the first calls `stop`
 * (explorations end at their next progress report, the findings so far are
 * written); a second one, for someone who will not wait, calls `force`,
 * which must end the process at once. Returns the function that removes
 * the handlers again.
 */
export function onStopSignals(stop: (signal: StopSignal) => void, force: (signal: StopSignal) => void): () => void {
  let received = false;
  const handler = (signal: StopSignal): void => {
    if (received) force(signal);
    else {
      received = true;
      stop(signal);
    }
  };
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, handler);
  };
}
