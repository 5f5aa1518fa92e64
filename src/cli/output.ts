import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/** Where the CLI writes, and the colours for each stream: on only when that stream is a terminal. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  readonly outColors: Colors;
  readonly errColors: Colors;
}

export function colorsFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Colors {
  const wanted = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0'
    ? true
    : stream.isTTY === true && env.TERM !== 'dumb' && (env.NO_COLOR === undefined || env.NO_COLOR === '');
  return pc.createColors(wanted);
}

export function processOutput(): Output {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    outColors: colorsFor(process.stdout),
    errColors: colorsFor(process.stderr),
  };
}
