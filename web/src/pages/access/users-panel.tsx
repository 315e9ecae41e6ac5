import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { settled } from '../../lib/resource';
import { createStore } from 'solid-js/store';
import { api, call, fetchAll, type Data } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { formatDateTime } from '../../lib/format';
import type { Client } from '../../state/directory';
import { can, grantableRoles, me } from '../../state/session';
import { showToast, toastError } from '../../state/toasts';
import { ClientPicker, clientNames } from '../../components/client-picker';
import { Empty, FieldError, FormError, Loading } from '../../components/feedback';

type User = Data<typeof api.users.$get>['items'][number];
type Role = User['role'];

const FIELDS = ['email', 'name', 'password', 'role', 'clientIds'];
const roleLabel = (r: Role) => (r === 'client' ? 'Client portal' : r);

export function UsersPanel(props: { clients: Client[] }): JSX.Element {
  const [users, { refetch }] = createResource(() =>
    fetchAll((cursor) => call(api.users.$get({ query: { limit: '1000', ...(cursor ? { cursor } : {}) } }))),
  );
  const [showForm, setShowForm] = createSignal(false);
  const blank = () => ({ email: '', name: '', password: '', role: 'technician' as Role, clientIds: null as string[] | null });
  const [form, setForm] = createStore(blank());

  // A portal user belongs to exactly one client: switching to that role drops any other scope.
  const pickRole = (role: Role) => {
    setForm('role', role);
    if (role === 'client' && form.clientIds?.length !== 1) setForm('clientIds', []);
  };
  const scopeComplete = () => form.role !== 'client' || form.clientIds?.length === 1;

  const create = createAction(async () => {
    await call(api.users.$post({ json: { ...form, email: form.email.trim(), name: form.name.trim() } }));
    showToast(`Created ${form.email}`);
    setForm(blank());
    setShowForm(false);
    await refetch();
  });

  const setDisabled = async (u: User, disabled: boolean) => {
    if (disabled && !confirm(`Disable ${u.email}? They are signed out and their API tokens stop working.`)) return;
    try {
      await call(api.users[':id'].$patch({ param: { id: u.id }, json: { disabled } }));
      await refetch();
    } catch (err) {
      toastError(err);
    }
  };

  return (
    <section class="panel">
      <div class="panel-head">
        <h2>Users</h2>
        <span class="spacer" />
        <Show when={can('admin')}>
          <button type="button" class="btn" onClick={() => setShowForm(!showForm())}>
            {showForm() ? 'Cancel' : 'New user'}
          </button>
        </Show>
      </div>
      <Show when={showForm()}>
        <form
          class="form form-grid"
          novalidate
          onSubmit={(e) => {
            e.preventDefault();
            void create.run();
          }}
        >
          <label class="field">
            <span>Name</span>
            <input class="input" value={form.name} onInput={(e) => setForm('name', e.currentTarget.value)} />
            <FieldError failure={create.failure()} path="name" />
          </label>
          <label class="field">
            <span>Email</span>
            <input class="input" type="email" autocomplete="off" value={form.email} onInput={(e) => setForm('email', e.currentTarget.value)} />
            <FieldError failure={create.failure()} path="email" />
          </label>
          <label class="field">
            <span>Initial password (12+ characters)</span>
            <input class="input" type="password" autocomplete="new-password" value={form.password} onInput={(e) => setForm('password', e.currentTarget.value)} />
            <FieldError failure={create.failure()} path="password" />
          </label>
          <label class="field">
            <span>Role</span>
            <select class="input select" data-testid="user-role" value={form.role} onChange={(e) => pickRole(e.currentTarget.value as Role)}>
              <For each={grantableRoles()}>{(r) => <option value={r}>{roleLabel(r)}</option>}</For>
            </select>
            <FieldError failure={create.failure()} path="role" />
          </label>
          <div class="field span-2">
            <span>{form.role === 'client' ? 'Client (a portal user sees exactly one)' : 'Clients'}</span>
            <Show when={form.role === 'client'} fallback={<ClientPicker clients={props.clients} value={form.clientIds} onChange={(v) => setForm('clientIds', v)} />}>
              <select class="input select" data-testid="user-portal-client" onChange={(e) => setForm('clientIds', e.currentTarget.value ? [e.currentTarget.value] : [])}>
                <option value="">Choose the client…</option>
                <For each={props.clients}>{(c) => <option value={c.id} selected={form.clientIds?.[0] === c.id}>{c.name}</option>}</For>
              </select>
            </Show>
            <FieldError failure={create.failure()} path="clientIds" />
          </div>
          <div class="span-2">
            <FormError failure={create.failure()} fields={FIELDS} />
            <button type="submit" class="btn btn-primary" data-testid="user-create" disabled={create.pending() || !scopeComplete()}>
              Create user
            </button>
          </div>
        </form>
      </Show>
      <Show when={!users.error} fallback={<Empty>Could not load users: {describeFailure(users.error)}</Empty>}>
        <Show when={settled(users)} fallback={<Loading />}>
          {(list) => (
            <table class="table" data-testid="users-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Email</th>
                  <th>Role</th>
                  <th>Clients</th>
                  <th>Last sign-in</th>
                  <th>State</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                <For each={list()} fallback={<tr><td colSpan={7} class="muted">No users</td></tr>}>
                  {(u) => (
                    <tr classList={{ 'is-dim': !!u.disabledAt }}>
                      <td>{u.name}</td>
                      <td>{u.email}</td>
                      <td>{roleLabel(u.role)}</td>
                      <td class="ellipsis">{clientNames(u.clientIds, props.clients)}</td>
                      <td class="nowrap">{formatDateTime(u.lastLoginAt)}</td>
                      <td>
                        <span class={`badge badge-${u.disabledAt ? 'bad' : 'ok'}`}>{u.disabledAt ? 'disabled' : 'active'}</span>
                      </td>
                      <td class="actions">
                        <Show when={can('admin') && u.id !== me()?.user.id}>
                          <button type="button" class="btn-link" classList={{ danger: !u.disabledAt }} onClick={() => void setDisabled(u, !u.disabledAt)}>
                            {u.disabledAt ? 'Enable' : 'Disable'}
                          </button>
                        </Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          )}
        </Show>
      </Show>
    </section>
  );
}
