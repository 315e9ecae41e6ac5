import { createSignal, onCleanup, onMount, Show, type JSX } from 'solid-js';
import { logout, me } from '../../state/session';

export function UserMenu(): JSX.Element {
  const [open, setOpen] = createSignal(false);
  let root!: HTMLDivElement;

  onMount(() => {
    const close = (e: Event) => {
      if (!root.contains(e.target as Node)) setOpen(false);
    };
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', esc);
    onCleanup(() => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', esc);
    });
  });

  return (
    <div class="user-menu" ref={root}>
      <button
        type="button"
        class="btn btn-ghost"
        aria-haspopup="menu"
        aria-expanded={open()}
        data-testid="user-menu"
        onClick={() => setOpen(!open())}
      >
        {me()?.user.name} <span class="muted">▾</span>
      </button>
      <Show when={open()}>
        <div class="menu" role="menu">
          <div class="menu-header">
            <div>{me()?.user.email}</div>
            <div class="muted">{me()?.user.role}</div>
          </div>
          <button type="button" role="menuitem" class="menu-item" data-testid="logout" onClick={() => void logout()}>
            Sign out
          </button>
        </div>
      </Show>
    </div>
  );
}
