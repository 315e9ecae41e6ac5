import { createEffect, createResource, createSignal, For, Match, Switch, type JSX } from 'solid-js';
import { api, call } from '../api/client';
import type { ApiFailure } from '../api/errors';
import { settled } from '../lib/resource';
import { loadClients, loadSites } from '../state/directory';
import { loadGroups } from '../state/groups';
import { FieldError } from './feedback';
import { SitePicker } from './site-picker';
import { DevicePick } from './device-pick';

export type ScopeType = 'tenant' | 'client' | 'site' | 'group' | 'tag' | 'device';
export interface ScopeValue {
  scopeType: ScopeType;
  /** '' while nothing is chosen (and always for the tenant). */
  scopeId: string;
}

export const SCOPE_LABEL: Record<ScopeType, string> = {
  tenant: 'Every device',
  client: 'Client',
  site: 'Site',
  group: 'Group',
  tag: 'Tag',
  device: 'Device',
};

/**
 * Where something applies: a scope type, then the client, site, group, tag or device.
 * Each list loads when its type is first chosen. Errors for `scopeType` and `scopeId`
 * show in place.
 */
export function ScopePicker(props: {
  types: readonly ScopeType[];
  value: ScopeValue;
  onChange: (next: ScopeValue) => void;
  failure?: ApiFailure | null;
  testId: string;
  disabled?: boolean;
}): JSX.Element {
  const type = () => props.value.scopeType;
  const [clients] = createResource(() => (type() === 'client' || type() === 'site') || false, () => loadClients());
  const [groups] = createResource(() => type() === 'group' || false, () => loadGroups());
  const [tags] = createResource(() => type() === 'tag' || false, () => call(api.tags.$get()).then((r) => r.items));
  // The site picker needs its client: for a site chosen earlier (an edit), look it up once.
  const [siteClient, setSiteClient] = createSignal('');
  const [siteOwner] = createResource(
    () => (type() === 'site' && props.value.scopeId && !siteClient() ? props.value.scopeId : false),
    async (siteId) => (await loadSites()).find((s) => s.id === siteId)?.clientId ?? '',
  );
  createEffect(() => {
    const owner = settled(siteOwner);
    if (owner && !siteClient()) setSiteClient(owner);
  });
  const set = (scopeId: string) => props.onChange({ scopeType: type(), scopeId });

  return (
    <>
      <label class="field">
        <span>Applies to</span>
        <select
          class="input select"
          data-testid={`${props.testId}-type`}
          disabled={props.disabled}
          onChange={(e) => props.onChange({ scopeType: e.currentTarget.value as ScopeType, scopeId: '' })}
        >
          <For each={props.types}>{(t) => <option value={t} selected={t === type()}>{SCOPE_LABEL[t]}</option>}</For>
        </select>
        <FieldError failure={props.failure ?? null} path="scopeType" />
      </label>
      <Switch>
        <Match when={type() === 'client'}>
          <label class="field">
            <span>Client</span>
            <select class="input select" data-testid={`${props.testId}-client`} disabled={props.disabled} onChange={(e) => set(e.currentTarget.value)}>
              <option value="">{clients.loading ? 'Loading…' : 'Choose…'}</option>
              <For each={settled(clients)}>{(c) => <option value={c.id} selected={c.id === props.value.scopeId}>{c.name}</option>}</For>
            </select>
            <FieldError failure={props.failure ?? null} path="scopeId" />
          </label>
        </Match>
        <Match when={type() === 'site'}>
          <SitePicker
            clients={settled(clients) ?? []}
            value={{ clientId: siteClient(), siteId: props.value.scopeId }}
            onChange={(v) => {
              setSiteClient(v.clientId);
              set(v.siteId);
            }}
            failure={null}
            testId={`${props.testId}-site`}
            disabled={props.disabled}
          />
          <FieldError failure={props.failure ?? null} path="scopeId" />
        </Match>
        <Match when={type() === 'group'}>
          <label class="field">
            <span>Group</span>
            <select class="input select" data-testid={`${props.testId}-group`} disabled={props.disabled} onChange={(e) => set(e.currentTarget.value)}>
              <option value="">{groups.loading ? 'Loading…' : settled(groups)?.length === 0 ? 'No groups yet' : 'Choose…'}</option>
              <For each={settled(groups)}>{(g) => <option value={g.id} selected={g.id === props.value.scopeId}>{g.name}</option>}</For>
            </select>
            <FieldError failure={props.failure ?? null} path="scopeId" />
          </label>
        </Match>
        <Match when={type() === 'tag'}>
          <label class="field">
            <span>Tag</span>
            <input class="input" list={`${props.testId}-tags`} data-testid={`${props.testId}-tag`} disabled={props.disabled} value={props.value.scopeId} onInput={(e) => set(e.currentTarget.value)} placeholder="e.g. server" />
            <datalist id={`${props.testId}-tags`}>
              <For each={settled(tags)}>{(t) => <option value={t.tag}>{`${t.count} devices`}</option>}</For>
            </datalist>
            <FieldError failure={props.failure ?? null} path="scopeId" />
          </label>
        </Match>
        <Match when={type() === 'device'}>
          <div class="field">
            <span>Device</span>
            <DevicePick value={props.value.scopeId} onChange={set} testId={`${props.testId}-device`} disabled={props.disabled} />
            <FieldError failure={props.failure ?? null} path="scopeId" />
          </div>
        </Match>
      </Switch>
    </>
  );
}
