import { TAPE_END, type Chooser } from '../../engine/chooser.ts';

/** Replays a recorded list of choices; returns TAPE_END once it has run out (the engine reports the divergence). */
export class TapeChooser implements Chooser {
  private at = 0;

  constructor(private readonly tape: readonly number[]) {}

  choose(): number {
    return this.tape[this.at++] ?? TAPE_END;
  }

  get remaining(): number {
    return Math.max(0, this.tape.length - this.at);
  }
}
