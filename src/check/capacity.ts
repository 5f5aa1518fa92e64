import type { Monitor } from '../engine/monitor.ts';
import type { BufferModel } from './bufferModel.ts';
import { exceptionVerdict } from './exception.ts';

/**
 * After every step: the buffer's own `size` must stay within [0, capacity],
 * and so must the sound count — puts completed minus takes started, a lower
 * bound on what the buffer holds. When the sound count overflows while
 * `size` looks fine, the buffer has dropped an item to make room: lost-item.
 */
export function capacityMonitor(model: BufferModel, size: () => number | undefined): Monitor {
  return {
    afterStep(view) {
      let reported: number | undefined;
      try {
        reported = size();
      } catch (error) {
        return exceptionVerdict("the buffer's size (read after every step)", error, view.step);
      }
      const cap = model.capacity;
      if (reported !== undefined && (reported > cap || reported < 0 || Number.isNaN(reported))) {
        return {
          kind: 'capacity',
          message: `buffer size is ${reported} after step ${view.step}, outside its capacity 0..${cap}.`,
        };
      }
      const sound = model.soundCount();
      if (sound > cap) {
        const counts = `${model.putsCompleted} puts have completed and only ${model.takesStarted} takes have started`;
        // A size within 0..capacity is below a sound count over capacity: the lost-item rule (BufferModel) holds whenever size is known.
        if (model.lostItemsBelow(reported) !== undefined) {
          return {
            kind: 'lost-item',
            message: `${counts}, so the buffer must hold at least ${sound} items (capacity ${cap}), yet it reports size ${reported}: an item was overwritten or dropped by step ${view.step}.`,
          };
        }
        return { kind: 'capacity', message: `${counts} after step ${view.step}: the buffer holds at least ${sound} items, over its capacity ${cap}.` };
      }
      return undefined;
    },
  };
}
