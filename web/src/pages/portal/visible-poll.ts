import { onCleanup } from 'solid-js';
import { PORTAL_POLL_MS } from '../../state/portal';

/**
 * Calls `refresh` every `ms` while the tab is visible. A hidden tab asks nothing (hundreds
 * of clients leave the portal open all day); coming back after a missed beat refreshes at once.
 * Stops with the calling component.
 */
export function pollWhileVisible(refresh: () => void, ms = PORTAL_POLL_MS): void {
  let last = Date.now();
  const visible = () => document.visibilityState === 'visible';
  const tick = () => {
    last = Date.now();
    refresh();
  };
  const timer = setInterval(() => visible() && tick(), ms);
  const onVisibility = () => {
    if (visible() && Date.now() - last >= ms) tick();
  };
  document.addEventListener('visibilitychange', onVisibility);
  onCleanup(() => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  });
}
