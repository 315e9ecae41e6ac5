import { For, Match, Switch, type JSX } from 'solid-js';
import type { Client } from '../../state/directory';
import type { Assignment, UserOption } from './rule-types';

const MODES: { value: Assignment['mode']; label: string }[] = [
  { value: 'none', label: 'Leave unassigned' },
  { value: 'fixed', label: 'One person' },
  { value: 'round_robin', label: 'Round robin' },
  { value: 'by_client', label: 'By client' },
];

function blank(mode: Assignment['mode'], users: UserOption[]): Assignment {
  switch (mode) {
    case 'none': return { mode };
    case 'fixed': return { mode, userId: users[0]?.id ?? '' };
    case 'round_robin': return { mode, userIds: [] };
    case 'by_client': return { mode, byClient: {}, fallbackUserId: null };
  }
}

function UserSelect(props: { value: string | null; users: UserOption[]; none?: string; onChange: (id: string | null) => void; label: string }): JSX.Element {
  return (
    <select class="input select" aria-label={props.label} onChange={(e) => props.onChange(e.currentTarget.value || null)}>
      <option value="" selected={!props.value}>{props.none ?? 'Choose…'}</option>
      <For each={props.users}>{(u) => <option value={u.id} selected={u.id === props.value}>{u.name}</option>}</For>
    </select>
  );
}

/** Who a rule's tickets go to; users are the tenant's technicians and above. */
export function AssignmentFields(props: { value: Assignment; users: UserOption[]; clients: Client[]; onChange: (a: Assignment) => void }): JSX.Element {
  const a = () => props.value;
  return (
    <div class="stack">
      <select class="input select" aria-label="Assignment" data-testid="rule-assignment-mode" onChange={(e) => props.onChange(blank(e.currentTarget.value as Assignment['mode'], props.users))}>
        <For each={MODES}>{(m) => <option value={m.value} selected={m.value === a().mode}>{m.label}</option>}</For>
      </select>
      <Switch>
        <Match when={a().mode === 'fixed' && (a() as Extract<Assignment, { mode: 'fixed' }>)}>
          {(f) => <UserSelect label="Assignee" value={f().userId} users={props.users} onChange={(id) => props.onChange({ mode: 'fixed', userId: id ?? '' })} />}
        </Match>
        <Match when={a().mode === 'round_robin' && (a() as Extract<Assignment, { mode: 'round_robin' }>)}>
          {(r) => (
            <div class="check-list">
              <For each={props.users} fallback={<span class="muted">No users to choose from.</span>}>
                {(u) => (
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={r().userIds.includes(u.id)}
                      onChange={(e) => props.onChange({ mode: 'round_robin', userIds: e.currentTarget.checked ? [...r().userIds, u.id] : r().userIds.filter((x) => x !== u.id) })}
                    />
                    {u.name}
                  </label>
                )}
              </For>
            </div>
          )}
        </Match>
        <Match when={a().mode === 'by_client' && (a() as Extract<Assignment, { mode: 'by_client' }>)}>
          {(b) => (
            <table class="table">
              <tbody>
                <For each={props.clients}>
                  {(c) => (
                    <tr>
                      <td>{c.name}</td>
                      <td>
                        <UserSelect
                          label={`Assignee for ${c.name}`}
                          none="Fallback"
                          value={b().byClient[c.id] ?? null}
                          users={props.users}
                          onChange={(id) => {
                            const byClient = { ...b().byClient };
                            if (id) byClient[c.id] = id;
                            else delete byClient[c.id];
                            props.onChange({ ...b(), byClient });
                          }}
                        />
                      </td>
                    </tr>
                  )}
                </For>
                <tr>
                  <td>Other clients</td>
                  <td>
                    <UserSelect label="Fallback assignee" none="Unassigned" value={b().fallbackUserId ?? null} users={props.users} onChange={(id) => props.onChange({ ...b(), fallbackUserId: id })} />
                  </td>
                </tr>
              </tbody>
            </table>
          )}
        </Match>
      </Switch>
    </div>
  );
}
