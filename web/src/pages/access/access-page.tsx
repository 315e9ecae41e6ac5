import { createResource, type JSX } from 'solid-js';
import { settled } from '../../lib/resource';
import { loadClients } from '../../state/directory';
import { UsersPanel } from './users-panel';
import { TokensPanel } from './tokens-panel';

export default function AccessPage(): JSX.Element {
  const [clients] = createResource(loadClients);
  return (
    <div class="page">
      <div class="page-head">
        <h1>Users & tokens</h1>
      </div>
      <UsersPanel clients={settled(clients) ?? []} />
      <TokensPanel clients={settled(clients) ?? []} />
    </div>
  );
}
