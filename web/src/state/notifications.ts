import { createSignal } from 'solid-js';
import type { Notification } from '../../../protocol/api/alerts';
import { api, call } from '../api/client';
import { toastError } from './toasts';

export type { Notification };

const SHOWN = 30;

const [items, setItems] = createSignal<Notification[]>([]);
const [unread, setUnread] = createSignal(0);
/** True when there are more unread than one page holds (the badge then says "30+"). */
const [moreUnread, setMoreUnread] = createSignal(false);
const [loaded, setLoaded] = createSignal(false);

export { items as notifications, unread as unreadCount, moreUnread, loaded as notificationsLoaded };

export async function loadNotifications(): Promise<void> {
  try {
    const [recent, unreadPage] = await Promise.all([
      call(api.notifications.$get({ query: { limit: String(SHOWN) } })),
      call(api.notifications.$get({ query: { unread: 'true', limit: String(SHOWN) } })),
    ]);
    setItems(recent.items);
    setUnread(unreadPage.items.length);
    setMoreUnread(unreadPage.nextCursor !== null);
    setLoaded(true);
  } catch {
    // The bell keeps what it showed; a reconnect or the next frame retries.
  }
}

/** A tier of an escalation reached the signed-in user. */
export function addNotification(n: Omit<Notification, 'readAt'>): void {
  setItems((list) => [{ ...n, readAt: null }, ...list.filter((x) => x.id !== n.id)].slice(0, SHOWN));
  setUnread((u) => u + 1);
}

/** Mark some (or, without ids, all) read. */
export async function markRead(ids?: string[]): Promise<void> {
  try {
    await call(api.notifications.read.$post({ json: ids ? { ids } : {} }));
  } catch (err) {
    toastError(err);
    return;
  }
  const now = Date.now();
  const hit = (n: Notification) => !n.readAt && (!ids || ids.includes(n.id));
  const newlyRead = items().filter(hit).length;
  setItems((list) => list.map((n) => (hit(n) ? { ...n, readAt: now } : n)));
  if (!ids || moreUnread()) void loadNotifications();
  else setUnread((u) => Math.max(0, u - newlyRead));
}
