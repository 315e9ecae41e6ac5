import { onCleanup } from 'solid-js';

/**
 * `run` at most once per `everyMs`, however often the returned trigger fires: a burst of feed
 * frames (a thousand devices finishing) becomes one reload now-ish and one at the window's end,
 * never one per frame. The pending call is dropped with the calling scope.
 */
export function createThrottled(run: () => void, everyMs: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = 0;
  onCleanup(() => clearTimeout(timer));
  return () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      last = Date.now();
      run();
    }, Math.max(0, last + everyMs - Date.now()));
  };
}
