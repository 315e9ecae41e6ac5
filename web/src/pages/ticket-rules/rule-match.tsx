import { For, type JSX } from 'solid-js';
import { CheckTypeName } from '../../../../protocol/api/ticket-rules';
import { SEVERITIES } from '../../components/severity';
import type { Client, Site } from '../../state/directory';
import type { RuleMatch } from './rule-types';

type ListKey = 'severities' | 'checkTypes' | 'clientIds' | 'siteIds';

/** Checkbox lists: nothing ticked in a list means "any" (the API's empty list). */
export function MatchFields(props: { value: RuleMatch; clients: Client[]; sites: Site[]; onChange: (m: RuleMatch) => void }): JSX.Element {
  const toggle = (key: ListKey, item: string, on: boolean) => {
    const cur = (props.value[key] ?? []) as string[];
    props.onChange({ ...props.value, [key]: on ? [...cur, item] : cur.filter((x) => x !== item) });
  };
  const box = (key: ListKey, item: string, label: string) => (
    <label class="check">
      <input type="checkbox" checked={((props.value[key] ?? []) as string[]).includes(item)} onChange={(e) => toggle(key, item, e.currentTarget.checked)} />
      {label}
    </label>
  );
  const clientName = (id: string) => props.clients.find((c) => c.id === id)?.name ?? '';
  return (
    <div class="stack">
      <div class="field">
        <span>Severity (none ticked: any)</span>
        <div class="row gap wrap" data-testid="rule-match-severity">
          <For each={SEVERITIES}>{(s) => box('severities', s, s)}</For>
        </div>
      </div>
      <div class="field">
        <span>Check type (none ticked: any)</span>
        <div class="row gap wrap">
          <For each={CheckTypeName.options}>{(t) => box('checkTypes', t, t)}</For>
        </div>
      </div>
      <div class="field">
        <span>Clients (none ticked: any)</span>
        <div class="check-list">
          <For each={props.clients}>{(c) => box('clientIds', c.id, c.name)}</For>
        </div>
      </div>
      <div class="field">
        <span>Sites (none ticked: any)</span>
        <div class="check-list">
          <For each={props.sites}>{(s) => box('siteIds', s.id, `${clientName(s.clientId)} / ${s.name}`)}</For>
        </div>
      </div>
      <label class="field">
        <span>Device tags, comma-separated (any of them; empty: any)</span>
        <input
          class="input"
          value={(props.value.tags ?? []).join(', ')}
          onChange={(e) => props.onChange({ ...props.value, tags: e.currentTarget.value.split(',').map((t) => t.trim()).filter(Boolean) })}
        />
      </label>
    </div>
  );
}
