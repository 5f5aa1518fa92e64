import type { DecisionKind } from './chooser.ts';

const KIND_CODES: readonly DecisionKind[] = ['step', 'join', 'offset', 'notify', 'time'];

/**
 * Every choice an execution made, in order, with its kind: the replay tape.
 * Kept in typed arrays that grow by doubling, five bytes a choice, because a
 * long execution makes millions of them and a plain array of numbers and
 * strings costs several times as much.
 */
export class ChoiceLog {
  private values = new Int32Array(64);
  private codes = new Uint8Array(64);
  private atSteps = new Int32Array(64);
  length = 0;

  /** `step`: the steps the execution had completed, or begun, when the choice was made. */
  push(value: number, kind: DecisionKind, step: number): void {
    if (this.length === this.values.length) {
      const values = new Int32Array(this.values.length * 2);
      values.set(this.values);
      this.values = values;
      const codes = new Uint8Array(this.codes.length * 2);
      codes.set(this.codes);
      this.codes = codes;
      const atSteps = new Int32Array(this.atSteps.length * 2);
      atSteps.set(this.atSteps);
      this.atSteps = atSteps;
    }
    this.values[this.length] = value;
    this.codes[this.length] = KIND_CODES.indexOf(kind);
    this.atSteps[this.length] = step;
    this.length++;
  }

  /** For each choice, the engine's step count when it was made (see push). */
  steps(): number[] {
    return Array.from(this.atSteps.subarray(0, this.length));
  }

  /** The choices, as a plain array. */
  choices(): number[] {
    return Array.from(this.values.subarray(0, this.length));
  }

  kinds(): DecisionKind[] {
    return Array.from(this.codes.subarray(0, this.length), (code) => KIND_CODES[code]!);
  }
}
