import cliProgress from 'cli-progress';
import { elapsedOfBudget, findingText, fractionDone, rate, type ProgressRow, type ProgressView } from './progress.ts';

/** Bars count in thousandths of the budget. */
const SCALE = 1000;
const NAME_WIDTH = 32;

/**
 * A progress bar per scenario being explored, on a terminal (cli-progress):
 * executions against the run count, executions per second, the time spent
 * against the time limit, and what was found so far. Finished scenarios'
 * lines are printed above the bars, which disappear with their scenario.
 */
export function progressBars(stream: NodeJS.WriteStream): ProgressView {
  const multi = new cliProgress.MultiBar(
    {
      stream,
      format: '{name} {bar} {executions} exec · {rate}/s · {time} · {finding}',
      barsize: 20,
      hideCursor: true,
      clearOnComplete: true,
      // Ctrl-C is the CLI's to handle (it stops the exploration and writes what was found), not the bars'.
      gracefulExit: false,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<number, cliProgress.SingleBar>();
  let stopped = false;
  return {
    update(rows) {
      if (stopped) return;
      const live = new Set(rows.map((row) => row.key));
      for (const [key, bar] of bars) {
        if (live.has(key)) continue;
        multi.remove(bar);
        bars.delete(key);
      }
      for (const row of rows) {
        const payload = payloadOf(row);
        const value = Math.round(fractionDone(row) * SCALE);
        const bar = bars.get(row.key);
        if (bar === undefined) bars.set(row.key, multi.create(SCALE, value, payload));
        else bar.update(value, payload);
      }
    },
    print(text) {
      // Once the bars are gone, a redraw would start their timer again (and keep the process alive): write directly.
      if (stopped) {
        stream.write(text);
        return;
      }
      multi.log(text);
      // The log is written on the next redraw; with no bar left there may be none, so redraw now.
      multi.update();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      multi.update();
      multi.stop();
    },
  };
}

function payloadOf(row: ProgressRow): Record<string, string> {
  const name = row.name.length > NAME_WIDTH ? `${row.name.slice(0, NAME_WIDTH - 1)}…` : row.name.padEnd(NAME_WIDTH);
  return { name, executions: row.executions.toLocaleString('en-US'), rate: rate(row), time: elapsedOfBudget(row), finding: findingText(row) };
}
