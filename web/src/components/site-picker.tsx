import { createResource, For, type JSX } from 'solid-js';
import type { ApiFailure } from '../api/errors';
import { settled } from '../lib/resource';
import { loadSites, type Client } from '../state/directory';
import { FieldError } from './feedback';

export interface SiteChoice {
  clientId: string;
  siteId: string;
}

/**
 * Client, then one of its sites: two form fields. Sites load per chosen client, so a
 * site created a moment ago is offered. Errors for `clientId` and `siteId` show under them.
 * Options mark themselves selected because they may arrive after the value does.
 */
export function SitePicker(props: {
  clients: Client[];
  value: SiteChoice;
  onChange: (next: SiteChoice) => void;
  failure?: ApiFailure | null;
  /** Prefix of the two selects' data-testid: `<prefix>-client`, `<prefix>-site`. */
  testId: string;
  disabled?: boolean;
}): JSX.Element {
  const [sites] = createResource(() => props.value.clientId || false, (id) => loadSites(id));
  const siteList = () => (props.value.clientId ? (settled(sites) ?? []) : []);
  const noSites = () => !!props.value.clientId && settled(sites)?.length === 0;
  return (
    <>
      <label class="field">
        <span>Client</span>
        <select
          class="input select"
          data-testid={`${props.testId}-client`}
          disabled={props.disabled}
          onChange={(e) => props.onChange({ clientId: e.currentTarget.value, siteId: '' })}
        >
          <option value="">Choose…</option>
          <For each={props.clients}>
            {(c) => (
              <option value={c.id} selected={c.id === props.value.clientId}>
                {c.name}
              </option>
            )}
          </For>
        </select>
        <FieldError failure={props.failure ?? null} path="clientId" />
      </label>
      <label class="field">
        <span>Site</span>
        <select
          class="input select"
          data-testid={`${props.testId}-site`}
          disabled={props.disabled || !props.value.clientId}
          onChange={(e) => props.onChange({ clientId: props.value.clientId, siteId: e.currentTarget.value })}
        >
          <option value="">{noSites() ? 'No sites: add one first' : 'Choose…'}</option>
          <For each={siteList()}>
            {(s) => (
              <option value={s.id} selected={s.id === props.value.siteId}>
                {s.name}
              </option>
            )}
          </For>
        </select>
        <FieldError failure={props.failure ?? null} path="siteId" />
      </label>
    </>
  );
}
