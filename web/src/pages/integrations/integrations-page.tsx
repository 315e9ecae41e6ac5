import { A, useSearchParams } from '@solidjs/router';
import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { settled } from '../../lib/resource';
import { can } from '../../state/session';
import { showToast, toastError } from '../../state/toasts';
import { Empty, Loading } from '../../components/feedback';
import { SecretBox } from '../../components/copy-button';
import type { DeliveryResult, Integration } from '../../../../protocol/api/integrations';
import { IntegrationForm } from './integration-form';
import { DeliveryLog, DeliveryStatusBadge } from './delivery-log';
import { KIND_LABEL, loadIntegrations } from './integration-data';
import { PoliciesPanel } from './policies-panel';
import '../../styles/desk.css';

const TABS = [
  { id: 'integrations', label: 'Integrations', href: '/integrations' },
  { id: 'policies', label: 'Notification policies', href: '/integrations?tab=policies' },
] as const;

/**
 * Slack, Teams and webhooks: connect, switch on and off, test, and read what was sent; and
 * (?tab=policies) the policies that decide which events each one receives.
 */
export default function IntegrationsPage(): JSX.Element {
  const [search] = useSearchParams<{ tab?: string }>();
  const tab = () => (search.tab === 'policies' ? 'policies' : 'integrations');
  const [list, { refetch, mutate }] = createResource(() => can('admin'), (ok) => (ok ? loadIntegrations() : Promise.resolve([])));
  const [adding, setAdding] = createSignal(false);
  const [secret, setSecret] = createSignal<{ name: string; value: string } | null>(null);
  const [results, setResults] = createSignal<Record<string, DeliveryResult | 'sending'>>({});
  const [logOf, setLogOf] = createSignal<Integration | null>(null);
  const [logVersion, setLogVersion] = createSignal(0);

  const toggle = async (it: Integration, enabled: boolean) => {
    try {
      const saved = await call(api.integrations[':id'].$patch({ param: { id: it.id }, json: { enabled } }));
      mutate((l) => l?.map((x) => (x.id === it.id ? saved : x)));
    } catch (err) {
      toastError(err);
      void refetch();
    }
  };
  const test = async (it: Integration) => {
    setResults((r) => ({ ...r, [it.id]: 'sending' }));
    try {
      const res = await call(api.integrations[':id'].test.$post({ param: { id: it.id } }));
      setResults((r) => ({ ...r, [it.id]: res }));
    } catch (err) {
      setResults((r) => {
        const { [it.id]: _gone, ...rest } = r;
        return rest;
      });
      toastError(err);
    }
    if (logOf()?.id === it.id) setLogVersion((v) => v + 1);
  };
  const remove = async (it: Integration) => {
    if (!confirm(`Disconnect “${it.name}”? Its delivery log goes with it.`)) return;
    try {
      await call(api.integrations[':id'].$delete({ param: { id: it.id } }));
      if (logOf()?.id === it.id) setLogOf(null);
      showToast('Integration removed');
      void refetch();
    } catch (err) {
      toastError(err);
    }
  };

  return (
    <div class="page">
      <div class="page-head">
        <h1>Integrations</h1>
        <span class="spacer" />
        <Show when={can('admin') && tab() === 'integrations' && !adding()}>
          <button type="button" class="btn btn-primary" data-testid="new-integration" onClick={() => (setAdding(true), setSecret(null))}>
            Add integration
          </button>
        </Show>
      </div>
      <Show when={can('admin')} fallback={<Empty>Integrations are managed by admins.</Empty>}>
        <nav class="tabs" aria-label="Integration sections">
          <For each={TABS}>
            {(t) => (
              <A href={t.href} class="tab" classList={{ 'is-active': tab() === t.id }} aria-current={tab() === t.id ? 'page' : undefined} data-testid={`tab-${t.id}`} activeClass="" inactiveClass="">
                {t.label}
              </A>
            )}
          </For>
        </nav>
        <Show when={tab() === 'integrations'} fallback={<PoliciesPanel integrations={settled(list) ?? []} />}>
          <Show when={adding()}>
            <IntegrationForm
              onCancel={() => setAdding(false)}
              onCreated={(c) => {
                setAdding(false);
                if (c.generatedSecret) setSecret({ name: c.name, value: c.generatedSecret });
                else showToast('Integration connected');
                void refetch();
              }}
            />
          </Show>
          <Show when={secret()}>
            {(s) => (
              <section class="panel panel-highlight" data-testid="integration-secret-once">
                <p>
                  The signing secret of <strong>{s().name}</strong>. Copy it now into the receiving system: it is <strong>not shown again</strong>.
                </p>
                <SecretBox value={s().value} testId="generated-secret" />
                <button type="button" class="btn btn-small" onClick={() => setSecret(null)}>
                  Done
                </button>
              </section>
            )}
          </Show>
          <section class="panel">
            <Show when={!list.error} fallback={<Empty>Could not load integrations: {describeFailure(list.error)}</Empty>}>
              <Show when={settled(list)} fallback={<Loading />}>
                {(items) => (
                  <Show when={items().length} fallback={<Empty><span data-testid="integrations-empty">Nothing connected yet.</span></Empty>}>
                    <table class="table" data-testid="integrations-table">
                      <thead>
                        <tr>
                          <th>Kind</th>
                          <th>Name</th>
                          <th class="col-wide">Target</th>
                          <th>Enabled</th>
                          <th>Last test</th>
                          <th />
                        </tr>
                      </thead>
                      <tbody>
                        <For each={items()}>
                          {(it) => (
                            <tr data-testid="integration-row" data-integration-id={it.id}>
                              <td class="nowrap">{KIND_LABEL[it.kind]}</td>
                              <td>{it.name}</td>
                              <td class="mono small ellipsis" title={it.configHint}>
                                {it.configHint}
                              </td>
                              <td>
                                <input type="checkbox" aria-label={`Enable ${it.name}`} checked={it.enabled} onChange={(e) => void toggle(it, e.currentTarget.checked)} />
                              </td>
                              <td class="nowrap" data-testid="test-result">
                                <Show when={results()[it.id]} keyed>
                                  {(v) => {
                                    return v === 'sending' ? (
                                      <span class="muted">sending…</span>
                                    ) : (
                                      <span title={v.lastError ?? ''}>
                                        <DeliveryStatusBadge status={v.status} /> {v.lastStatusCode ?? ''} <span class="muted small">{v.lastError ?? ''}</span>
                                      </span>
                                    );
                                  }}
                                </Show>
                              </td>
                              <td class="nowrap">
                                <button type="button" class="btn btn-small" data-testid="send-test" disabled={results()[it.id] === 'sending'} onClick={() => void test(it)}>
                                  Send test message
                                </button>{' '}
                                <button type="button" class="btn btn-small" data-testid="show-deliveries" onClick={() => (setLogOf(it), setLogVersion((v) => v + 1))}>
                                  Deliveries
                                </button>{' '}
                                <button type="button" class="btn btn-ghost btn-small" onClick={() => void remove(it)}>
                                  Remove
                                </button>
                              </td>
                            </tr>
                          )}
                        </For>
                      </tbody>
                    </table>
                  </Show>
                )}
              </Show>
            </Show>
          </section>
          <Show when={logOf()} keyed>
            {(it) => <DeliveryLog integrationId={it.id} name={it.name} version={logVersion()} onClose={() => setLogOf(null)} />}
          </Show>
        </Show>
      </Show>
    </div>
  );
}
