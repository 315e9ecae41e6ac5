import { createResource, type JSX } from 'solid-js';
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
      <UsersPanel clients={clients.latest ?? []} />
      <TokensPanel clients={clients.latest ?? []} />
    </div>
  );
}
