export type StopSignal = 'SIGINT' | 'SIGTERM';

/** The exit code of a run stopped by a signal, as a shell reports a process killed by it: 128 + its number. */
export function signalExitCode(signal: StopSignal): number {
  return signal === 'SIGINT' ? 130 : 143;
}

/**
 * Ctrl-C and SIGTERM stop the exploration cleanly: the first calls `stop`
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
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
