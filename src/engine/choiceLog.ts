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
  length = 0;

  push(value: number, kind: DecisionKind): void {
    if (this.length === this.values.length) {
      const values = new Int32Array(this.values.length * 2);
      values.set(this.values);
      this.values = values;
      const codes = new Uint8Array(this.codes.length * 2);
      codes.set(this.codes);
      this.codes = codes;
    }
    this.values[this.length] = value;
    this.codes[this.length] = KIND_CODES.indexOf(kind);
    this.length++;
  }

  /** The choices, as a plain array. */
  choices(): number[] {
    return Array.from(this.values.subarray(0, this.length));
  }

  kinds(): DecisionKind[] {
    return Array.from(this.codes.subarray(0, this.length), (code) => KIND_CODES[code]!);
  }
}
