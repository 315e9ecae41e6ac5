import { useNavigate } from '@solidjs/router';
import { createSignal, For, onCleanup, onMount, Show, type JSX } from 'solid-js';
import { now } from '../../lib/clock';
import { relativeTime } from '../../lib/format';
import { markRead, moreUnread, notifications, notificationsLoaded, unreadCount, type Notification } from '../../state/notifications';

/**
 * Escalations that reached the signed-in user. Opening one marks it read and shows its
 * alert. Titles and bodies quote alert text (agent-reported): text nodes only.
 */
export function NotificationBell(): JSX.Element {
  const [open, setOpen] = createSignal(false);
  const navigate = useNavigate();
  let root!: HTMLDivElement;

  onMount(() => {
    const close = (e: Event) => !root.contains(e.target as Node) && setOpen(false);
    const esc = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && open()) {
        setOpen(false);
        root.querySelector<HTMLButtonElement>('button')?.focus();
      }
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', esc);
    onCleanup(() => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', esc);
    });
  });

  const badge = () => (unreadCount() === 0 ? '' : moreUnread() ? `${unreadCount()}+` : String(unreadCount()));
  const openOne = (n: Notification) => {
    setOpen(false);
    if (!n.readAt) void markRead([n.id]);
    if (n.alertId) navigate(`/alerts/${n.alertId}`);
  };

  return (
    <div class="user-menu bell" ref={root}>
      <button
        type="button"
        class="btn btn-ghost bell-button"
        aria-haspopup="true"
        aria-expanded={open()}
        aria-label={unreadCount() ? `Notifications, ${badge()} unread` : 'Notifications'}
        data-testid="notification-bell"
        onClick={() => setOpen(!open())}
      >
        <svg class="bell-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path d="M12 3a6 6 0 0 0-6 6v3.6L4.3 15.4A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.6L18 12.6V9a6 6 0 0 0-6-6Zm-2.5 15a2.5 2.5 0 0 0 5 0" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linejoin="round" />
        </svg>
        <Show when={badge()}>
          <span class="count-badge" data-testid="notification-count">
            {badge()}
          </span>
        </Show>
      </button>
      <Show when={open()}>
        <div class="menu bell-menu" role="region" aria-label="Notifications">
          <div class="menu-header row gap">
            <strong>Notifications</strong>
            <span class="spacer" />
            <Show when={unreadCount() > 0}>
              <button type="button" class="btn-link" data-testid="notifications-read-all" onClick={() => void markRead()}>
                Mark all read
              </button>
            </Show>
          </div>
          <Show when={notificationsLoaded()} fallback={<div class="muted menu-empty">Loading…</div>}>
            <ul class="bell-list">
              <For each={notifications()} fallback={<li class="muted menu-empty">Nothing yet. Escalations that reach you appear here.</li>}>
                {(n) => (
                  <li>
                    <button type="button" class="menu-item bell-item" classList={{ 'is-unread': !n.readAt }} onClick={() => openOne(n)}>
                      <span class="bell-title">{n.title}</span>
                      <span class="muted small bell-body">{n.body}</span>
                      <span class="muted small">{relativeTime(n.createdAt, now())}</span>
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </div>
      </Show>
    </div>
  );
}
