import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { settled } from '../../lib/resource';
import { createStore } from 'solid-js/store';
import { api, call, fetchAll, type Data } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { formatDateTime } from '../../lib/format';
import { now } from '../../lib/clock';
import type { Client } from '../../state/directory';
import { grantableRoles, me } from '../../state/session';
import { showToast, toastError } from '../../state/toasts';
import { ClientPicker, clientNames } from '../../components/client-picker';
import { SecretBox } from '../../components/copy-button';
import { Empty, FieldError, FormError, Loading } from '../../components/feedback';

type Token = Data<typeof api.tokens.$get>['items'][number];
// Tokens act for staff only: no token carries the portal role.
type Role = Exclude<Token['role'], 'client'>;
const tokenRoles = () => grantableRoles().filter((r): r is Role => r !== 'client');

const FIELDS = ['name', 'role', 'clientIds', 'expiresInDays'];

function tokenState(t: Token, at: number): { label: string; tone: string } {
  if (t.revokedAt) return { label: 'revoked', tone: 'bad' };
  if (t.expiresAt && t.expiresAt <= at) return { label: 'expired', tone: 'warn' };
  return { label: 'active', tone: 'ok' };
}

/** API tokens: a token never grants more than its creator holds, so choices stop at your role. */
export function TokensPanel(props: { clients: Client[] }): JSX.Element {
  const [tokens, { refetch }] = createResource(() =>
    fetchAll((cursor) => call(api.tokens.$get({ query: { limit: '1000', ...(cursor ? { cursor } : {}) } }))),
  );
  const [secret, setSecret] = createSignal<string | null>(null);
  const blank = () => ({
    name: '',
    role: (me()?.user.role ?? 'readonly') as Role,
    clientIds: (me()?.user.clientIds ?? null) as string[] | null,
    days: '90',
  });
  const [form, setForm] = createStore(blank());

  const create = createAction(async () => {
    const res = await call(
      api.tokens.$post({
        json: { name: form.name.trim(), role: form.role, clientIds: form.clientIds, expiresInDays: form.days ? Number(form.days) : undefined },
      }),
    );
    setSecret(res.token);
    setForm(blank());
    await refetch();
  });

  const revoke = async (t: Token) => {
    if (!confirm(`Revoke token "${t.name}"? Integrations using it stop working immediately.`)) return;
    try {
      await call(api.tokens[':id'].$delete({ param: { id: t.id } }));
      showToast(`Revoked ${t.name}`);
      await refetch();
    } catch (err) {
      toastError(err);
    }
  };

  return (
    <section class="panel">
      <div class="panel-head">
        <h2>API tokens</h2>
      </div>
      <form
        class="form form-row"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <label class="field grow">
          <span>Name</span>
          <input class="input" placeholder="e.g. PSA sync" value={form.name} onInput={(e) => setForm('name', e.currentTarget.value)} data-testid="token-name" />
          <FieldError failure={create.failure()} path="name" />
        </label>
        <label class="field">
          <span>Role</span>
          <select class="input select" value={form.role} onChange={(e) => setForm('role', e.currentTarget.value as Role)}>
            <For each={tokenRoles()}>{(r) => <option value={r}>{r}</option>}</For>
          </select>
          <FieldError failure={create.failure()} path="role" />
        </label>
        <label class="field">
          <span>Expires in (days)</span>
          <input class="input input-num" type="number" min="1" max="3650" placeholder="never" value={form.days} onInput={(e) => setForm('days', e.currentTarget.value)} />
          <FieldError failure={create.failure()} path="expiresInDays" />
        </label>
        <button type="submit" class="btn btn-primary" disabled={!form.name.trim() || create.pending()}>
          Create token
        </button>
      </form>
      <Show when={me()?.user.clientIds === null}>
        <ClientPicker clients={props.clients} value={form.clientIds} onChange={(v) => setForm('clientIds', v)} />
      </Show>
      <FieldError failure={create.failure()} path="clientIds" />
      <FormError failure={create.failure()} fields={FIELDS} />
      <Show when={secret()}>
        {(token) => (
          <div class="panel-highlight inset" data-testid="new-token">
            <p class="warn-text">Copy this token now: it is shown only once.</p>
            <SecretBox value={token()} testId="token-secret" />
            <button type="button" class="btn btn-ghost" onClick={() => setSecret(null)}>
              Done
            </button>
          </div>
        )}
      </Show>
      <Show when={!tokens.error} fallback={<Empty>Could not load tokens: {describeFailure(tokens.error)}</Empty>}>
        <Show when={settled(tokens)} fallback={<Loading />}>
          {(list) => (
            <Show when={list().length} fallback={<Empty>No API tokens.</Empty>}>
              <table class="table" data-testid="tokens-table">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Prefix</th>
                    <th>Role</th>
                    <th>Clients</th>
                    <th>Expires</th>
                    <th>Last used</th>
                    <th>State</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  <For each={list()}>
                    {(t) => {
                      const state = () => tokenState(t, now());
                      return (
                        <tr classList={{ 'is-dim': state().label !== 'active' }}>
                          <td>{t.name}</td>
                          <td class="mono">{t.prefix}…</td>
                          <td>{t.role}</td>
                          <td class="ellipsis">{clientNames(t.clientIds, props.clients)}</td>
                          <td class="nowrap">{t.expiresAt ? formatDateTime(t.expiresAt) : 'never'}</td>
                          <td class="nowrap">{formatDateTime(t.lastUsedAt)}</td>
                          <td>
                            <span class={`badge badge-${state().tone}`}>{state().label}</span>
                          </td>
                          <td class="actions">
                            <Show when={!t.revokedAt}>
                              <button type="button" class="btn-link danger" onClick={() => void revoke(t)}>
                                Revoke
                              </button>
                            </Show>
                          </td>
                        </tr>
                      );
                    }}
                  </For>
                </tbody>
              </table>
            </Show>
          )}
        </Show>
      </Show>
    </section>
  );
}
