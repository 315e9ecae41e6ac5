import { Navigate, useLocation } from '@solidjs/router';
import { Match, Switch, type JSX } from 'solid-js';
import { isPortalPath, isPortalUser } from '../../state/portal';
import { Shell } from '../shell/shell';
import { PortalShell } from './portal-shell';

/**
 * Which frame a signed-in user gets. Portal users live under /portal and staff everywhere
 * else; either one opening the other side's address is sent home, before that page mounts
 * (the server refuses its calls anyway, but a page of 403s is no answer).
 */
export function SignedIn(props: { children?: JSX.Element }): JSX.Element {
  const location = useLocation();
  const onPortal = () => isPortalPath(location.pathname);
  return (
    <Switch>
      <Match when={isPortalUser() && onPortal()}>
        <PortalShell>{props.children}</PortalShell>
      </Match>
      <Match when={isPortalUser()}>
        <Navigate href="/portal" />
      </Match>
      <Match when={onPortal()}>
        <Navigate href="/" />
      </Match>
      <Match when={true}>
        <Shell>{props.children}</Shell>
      </Match>
    </Switch>
  );
}
