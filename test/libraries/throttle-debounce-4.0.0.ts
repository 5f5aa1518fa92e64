/**
 * throttle-debounce 4.0.0 (known bug, installed as throttle-debounce-buggy):
 * the same scenario as throttle-debounce.ts. Its CHANGELOG, under 4.0.1
 * (2022-04-15), "Fixed: Throttle invocation with { noLeading: true,
 * noTrailing: true } (#55)": in 4.0.0, a throttled call made after more than
 * `delay` ms of quiet with `noLeading: true` only moves `lastExec` and arms
 * no trailing timer, so that call is never run — against the documented
 * "callback will be executed one final time after the last
 * throttled-function call". The scenario's lone call 200 ms after the
 * others is dropped: `final` reports the last call never run.
 */
import * as buggy from 'throttle-debounce-buggy';
import { throttleDebounceScenario } from './throttle-debounce.ts';

export const library = { name: 'throttle-debounce', release: '4.0.0', does: 'noLeading throttle drops a call made after quiet (fixed in 4.0.1)', expected: 'invariant', shows: /trailing: the last call .* was never run after it/ } as const;

export default throttleDebounceScenario('throttle-debounce 4.0.0', buggy, 'invariant');
