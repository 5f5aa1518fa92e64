import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/** Where the CLI writes, and the colours for each stream: on only when that stream is a terminal. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  readonly outColors: Colors;
  readonly errColors: Colors;
  /** The streams that are terminals, for progress bars; a pipe or a file gets plain lines. */
  readonly terminals?: { readonly out?: NodeJS.WriteStream; readonly err?: NodeJS.WriteStream };
}

export function colorsFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Colors {
  const wanted = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0'
    ? true
    : stream.isTTY === true && env.TERM !== 'dumb' && (env.NO_COLOR === undefined || env.NO_COLOR === '');
  return pc.createColors(wanted);
}

export function processOutput(): Output {
  return {
    out: writerFor(process.stdout),
    err: writerFor(process.stderr),
    outColors: colorsFor(process.stdout),
    errColors: colorsFor(process.stderr),
    terminals: {
      ...(isTerminal(process.stdout) ? { out: process.stdout } : {}),
      ...(isTerminal(process.stderr) ? { err: process.stderr } : {}),
    },
  };
}

function isTerminal(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && env.TERM !== 'dumb' && env.CI === undefined;
}

/**
 * Writes to a stream until its reader goes away: `interleave explore | head`
 * closes the pipe early, and the run must go on quietly (its reports are
 * still written) instead of dying on EPIPE.
 */
function writerFor(stream: NodeJS.WriteStream): (text: string) => void {
  let open = true;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    // EIO: the terminal itself went away (SIGHUP), and the run goes on to write its reports.
    if (error.code !== 'EPIPE' && error.code !== 'EIO') throw error;
    open = false;
  });
  return (text) => {
    if (open) stream.write(text);
  };
}
