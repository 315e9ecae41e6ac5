import { A, useLocation } from '@solidjs/router';
import { createResource, For, Suspense, type JSX } from 'solid-js';
import { settled } from '../../lib/resource';
import { logout, me } from '../../state/session';
import { portalMe } from '../../state/portal';
import { Loading } from '../../components/feedback';
import '../../styles/portal.css';

const NAV: { href: string; label: string; testId: string; active: (path: string) => boolean }[] = [
  // A ticket's own page belongs to "My tickets", so the list's link stays lit there.
  { href: '/portal', label: 'My tickets', testId: 'portal-nav-tickets', active: (p) => p === '/portal' || p.startsWith('/portal/tickets/') },
  { href: '/portal/new', label: 'New ticket', testId: 'portal-nav-new', active: (p) => p === '/portal/new' },
  { href: '/portal/devices', label: 'Devices', testId: 'portal-nav-devices', active: (p) => p === '/portal/devices' },
];

/**
 * The client portal's frame: whose portal this is, three places to go, and signing out.
 * No live socket, alert counts or device store: a client's user sees only their own tickets
 * and devices, fetched page by page.
 */
export function PortalShell(props: { children?: JSX.Element }): JSX.Element {
  const location = useLocation();
  const [who] = createResource(portalMe);

  return (
    <div class="portal">
      <header class="topbar portal-topbar">
        <div class="brand">
          <span class="brand-mark" aria-hidden="true" />
          {settled(who)?.tenant.name ?? me()?.tenant.name}
        </div>
        <span class="tenant-name" data-testid="portal-client-name">
          {settled(who)?.client.name ?? ''}
        </span>
        <nav class="portal-nav" aria-label="Portal">
          <For each={NAV}>
            {(item) => (
              <A
                href={item.href}
                class="nav-link"
                classList={{ 'is-active': item.active(location.pathname) }}
                aria-current={item.active(location.pathname) ? 'page' : undefined}
                data-testid={item.testId}
                // The router's own matching would light "My tickets" on every portal page.
                activeClass=""
                inactiveClass=""
              >
                {item.label}
              </A>
            )}
          </For>
        </nav>
        <span class="spacer" />
        <span class="muted" data-testid="portal-user-name">
          {me()?.user.name}
        </span>
        <button type="button" class="btn btn-ghost" data-testid="logout" onClick={() => void logout()}>
          Sign out
        </button>
      </header>
      <main class="portal-main">
        <Suspense fallback={<Loading />}>{props.children}</Suspense>
      </main>
    </div>
  );
}
