import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { DEFAULT_PATCH_POLICY } from '../../../../protocol/api/patches';
import { describeFailure } from '../../api/errors';
import { deleteConfirmed } from '../../lib/delete-confirmed';
import { settled } from '../../lib/resource';
import { loadClients } from '../../state/directory';
import { can } from '../../state/session';
import { deletePolicy, loadPolicies, type PolicyView } from '../../state/patches';
import { Empty, Loading } from '../../components/feedback';
import { PageHead } from '../../components/page-head';
import { PatchNav } from './patch-nav';
import { PolicyCard } from './policy-card';
import './patches.css';

/**
 * Approval policies: the tenant's, and the clients that have their own. A person's decision on
 * an update always beats the policy; where none was made, the device's client policy decides.
 */
export default function PoliciesPage(): JSX.Element {
  const [policies, { mutate, refetch }] = createResource(loadPolicies);
  const [clients] = createResource(loadClients);
  const [adding, setAdding] = createSignal('');

  const tenant = (): PolicyView => settled(policies)?.find((p) => p.clientId === null) ?? { clientId: null, clientName: null, policy: DEFAULT_PATCH_POLICY, updatedAt: null };
  const overrides = () => (settled(policies) ?? []).filter((p) => p.clientId !== null).sort((a, b) => (a.clientName ?? '').localeCompare(b.clientName ?? ''));
  const withoutOverride = () => (settled(clients) ?? []).filter((c) => !overrides().some((p) => p.clientId === c.id));
  const replace = (v: PolicyView) => mutate((list) => [...(list ?? []).filter((p) => p.clientId !== v.clientId), v]);
  const drop = (clientId: string) => mutate((list) => (list ?? []).filter((p) => p.clientId !== clientId));
  const remove = (p: PolicyView) => {
    const clientId = p.clientId!;
    // Never saved: nothing to delete on the server.
    if (p.updatedAt === null) return drop(clientId);
    void deleteConfirmed(`Remove ${p.clientName ?? 'this client'}'s own policy? The tenant policy applies to it again.`, () => deletePolicy(clientId), 'Client policy removed', () => drop(clientId));
  };
  const addOverride = () => {
    const c = settled(clients)?.find((x) => x.id === adding());
    if (!c) return;
    // A new override starts as a copy of the tenant's policy; it exists once saved.
    replace({ clientId: c.id, clientName: c.name, policy: structuredClone(tenant().policy), updatedAt: null });
    setAdding('');
  };

  return (
    <div class="page">
      <PageHead title="Patches" onRefresh={refetch} />
      <PatchNav current="policies" />
      <p class="muted">
        Per classification: approve automatically once an update has been known for some days, wait for a person, or decline. A decision on the Missing updates page always wins over
        the policy.
      </p>
      <Show when={!policies.error} fallback={<Empty>Could not load the policies: {describeFailure(policies.error)}</Empty>}>
        <Show when={settled(policies)} fallback={<Loading label="Loading policies…" />}>
          <div class="stack">
            <Show when={tenant()} keyed>
              {(t) => <PolicyCard view={t} title="Every client" hint="unless the client has its own policy" onSaved={replace} />}
            </Show>
            <For each={overrides()}>{(p) => <PolicyCard view={p} title={p.clientName ?? 'Client'} hint="this client's own policy" onSaved={replace} onRemove={can('admin') ? () => remove(p) : undefined} />}</For>
            <Show when={can('admin')}>
              <div class="toolbar">
                <select class="input select" aria-label="Client" data-testid="policy-add-client" value={adding()} onChange={(e) => setAdding(e.currentTarget.value)}>
                  <option value="">Choose a client…</option>
                  <For each={withoutOverride()}>{(c) => <option value={c.id}>{c.name}</option>}</For>
                </select>
                <button type="button" class="btn" data-testid="policy-add" disabled={!adding()} onClick={addOverride}>
                  Add a policy for this client
                </button>
              </div>
            </Show>
          </div>
        </Show>
      </Show>
    </div>
  );
}
