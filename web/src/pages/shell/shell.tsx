import { A } from '@solidjs/router';
import { For, onMount, Show, Suspense, type JSX } from 'solid-js';
import { loadDevices } from '../../state/devices';
import { startTenantFeed, feedConnected } from '../../state/tenant-feed';
import { openAlertCount } from '../../state/alerts';
import { me } from '../../state/session';
import { Loading } from '../../components/feedback';
import { UserMenu } from './user-menu';
import { NotificationBell } from './notification-bell';

interface NavItem {
  href: string;
  label: string;
  /** Only the exact path lights the link up (the overview at "/" would match everything). */
  end?: boolean;
  badge?: () => number;
}

const NAV: { title?: string; items: NavItem[] }[] = [
  {
    items: [
      { href: '/', label: 'Overview', end: true },
      { href: '/alerts', label: 'Alerts', badge: openAlertCount },
      { href: '/tickets', label: 'Tickets' },
      { href: '/devices', label: 'Devices' },
      { href: '/clients', label: 'Clients & sites' },
      { href: '/groups', label: 'Groups' },
    ],
  },
  {
    title: 'Assets',
    items: [
      { href: '/assets/search', label: 'Search' },
      { href: '/assets/software', label: 'Software' },
      { href: '/assets/changes', label: 'Changes' },
      { href: '/licences', label: 'Licences' },
      { href: '/warranties', label: 'Warranties' },
      { href: '/reports/lifecycle', label: 'Lifecycle' },
    ],
  },
  {
    title: 'Automation',
    items: [
      { href: '/scripts', label: 'Scripts' },
      { href: '/jobs', label: 'Jobs' },
      { href: '/history', label: 'History' },
    ],
  },
  {
    title: 'Software',
    items: [
      { href: '/packages', label: 'Packages' },
      { href: '/deployments', label: 'Deployments' },
      { href: '/patches', label: 'Patches' },
      { href: '/patches/compliance', label: 'Patch compliance' },
    ],
  },
  {
    title: 'Monitoring',
    items: [
      { href: '/check-sets', label: 'Check sets' },
      { href: '/maintenance', label: 'Maintenance' },
      { href: '/escalation', label: 'Escalation' },
      { href: '/ticket-rules', label: 'Ticket rules' },
      { href: '/sla', label: 'SLA' },
    ],
  },
  {
    title: 'Settings',
    items: [
      { href: '/integrations', label: 'Integrations' },
      { href: '/enrollment', label: 'Enrollment' },
      { href: '/access', label: 'Users & tokens' },
      { href: '/audit', label: 'Audit log' },
    ],
  },
];

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
        <NotificationBell />
        <UserMenu />
      </header>
      <nav class="sidenav" aria-label="Main">
        <For each={NAV}>
          {(section) => (
            <>
              <Show when={section.title}>
                <div class="nav-section">{section.title}</div>
              </Show>
              <For each={section.items}>
                {(item) => (
                  <A href={item.href} class="nav-link" activeClass="is-active" end={item.end}>
                    <span>{item.label}</span>
                    <Show when={item.badge?.()}>
                      {(n) => (
                        <span class="count-badge" data-testid="nav-alert-count" title={`${n()} open alerts`}>
                          {n() > 999 ? '999+' : n()}
                        </span>
                      )}
                    </Show>
                  </A>
                )}
              </For>
            </>
          )}
        </For>
      </nav>
      <main class="main">
        <Suspense fallback={<Loading />}>{props.children}</Suspense>
      </main>
    </div>
  );
}
