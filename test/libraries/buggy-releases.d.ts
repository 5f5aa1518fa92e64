// Types for the aliased buggy release that ships none: the same API as the current one.
declare module 'throttle-debounce-buggy' {
  export { debounce, throttle } from 'throttle-debounce';
}
