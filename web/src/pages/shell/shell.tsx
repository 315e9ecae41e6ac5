import { A } from '@solidjs/router';
import { onMount, Suspense, type JSX } from 'solid-js';
import { loadDevices } from '../../state/devices';
import { startTenantFeed, feedConnected } from '../../state/tenant-feed';
import { me } from '../../state/session';
import { Loading } from '../../components/feedback';
import { UserMenu } from './user-menu';

const NAV = [
  { href: '/devices', label: 'Devices' },
  { href: '/clients', label: 'Clients & sites' },
  { href: '/groups', label: 'Groups' },
  { href: '/enrollment', label: 'Enrollment' },
  { href: '/access', label: 'Users & tokens' },
  { href: '/audit', label: 'Audit log' },
] as const;

export function Shell(props: { children?: JSX.Element }): JSX.Element {
  onMount(() => {
    startTenantFeed();
    void loadDevices();
  });

  return (
    <div class="shell">
      <header class="topbar">
        <div class="brand">
          <span class="brand-mark" aria-hidden="true" />
          Tether
        </div>
        <span class="tenant-name" data-testid="tenant-name">
          {me()?.tenant.name}
        </span>
        <span class="spacer" />
        <span
          class={`feed-indicator ${feedConnected() ? 'is-live' : 'is-down'}`}
          title={feedConnected() ? 'Live updates connected' : 'Live updates reconnecting'}
        >
          <span class="dot" aria-hidden="true" />
          {feedConnected() ? 'Live' : 'Reconnecting'}
        </span>
        <UserMenu />
      </header>
      <nav class="sidenav" aria-label="Main">
        {NAV.map((item) => (
          <A href={item.href} class="nav-link" activeClass="is-active">
            {item.label}
          </A>
        ))}
      </nav>
      <main class="main">
        <Suspense fallback={<Loading />}>{props.children}</Suspense>
      </main>
    </div>
  );
}
