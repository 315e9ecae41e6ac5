import { createSignal, For, Show, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { createAction } from '../../lib/action';
import { FieldError, FormError } from '../../components/feedback';
import type { IntegrationKind } from '../../../../protocol/api/integrations';
import { KIND_LABEL } from './integration-data';

const HELP: Record<IntegrationKind, { url: string; secret: string; secretHelp: string }> = {
  slack: { url: 'Incoming webhook URL', secret: 'Signing secret (optional)', secretHelp: 'From the Slack app’s Basic Information; needed for buttons and /tether.' },
  teams: { url: 'Workflows webhook URL', secret: 'Outgoing webhook secret (optional)', secretHelp: 'Office 365 connector URLs are retired: create a Workflows webhook.' },
  webhook: { url: 'Target URL (https)', secret: 'Signing secret (optional)', secretHelp: 'Left empty, Tether makes one and shows it once.' },
};

type Created = { id: string; name: string; generatedSecret?: string };

/**
 * Connect an integration. The URL and secret go to the server once; it keeps them sealed
 * and never answers them back (only a hint), so the inputs are password-like.
 */
export function IntegrationForm(props: { onCreated: (c: Created) => void; onCancel: () => void }): JSX.Element {
  const [kind, setKind] = createSignal<IntegrationKind>('slack');
  const [name, setName] = createSignal('');
  const [url, setUrl] = createSignal('');
  const [secret, setSecret] = createSignal('');

  const save = createAction(async () => {
    const k = kind();
    const s = secret().trim();
    const config: Record<string, string> =
      k === 'webhook'
        ? { url: url().trim(), ...(s ? { secret: s } : {}) }
        : { webhookUrl: url().trim(), ...(s ? { [k === 'slack' ? 'signingSecret' : 'outgoingSecret']: s } : {}) };
    const created = await call(api.integrations.$post({ json: { kind: k, name: name().trim(), config } }));
    props.onCreated(created);
  });

  const urlPath = () => (kind() === 'webhook' ? 'config.url' : 'config.webhookUrl');
  const secretPath = () => (kind() === 'webhook' ? 'config.secret' : kind() === 'slack' ? 'config.signingSecret' : 'config.outgoingSecret');

  return (
    <form
      class="form panel"
      data-testid="integration-form"
      autocomplete="off"
      onSubmit={(e) => {
        e.preventDefault();
        void save.run();
      }}
    >
      <div class="fields-row">
        <label class="field">
          <span>Kind</span>
          <select class="input select" data-testid="integration-kind" onChange={(e) => setKind(e.currentTarget.value as IntegrationKind)}>
            <For each={Object.entries(KIND_LABEL)}>{([k, label]) => <option value={k} selected={k === kind()}>{label}</option>}</For>
          </select>
        </label>
        <label class="field grow">
          <span>Name</span>
          <input class="input" data-testid="integration-name" value={name()} onInput={(e) => setName(e.currentTarget.value)} placeholder="#alerts channel" />
          <FieldError failure={save.failure()} path="name" />
        </label>
      </div>
      <label class="field">
        <span>{HELP[kind()].url}</span>
        <input class="input mono" type="password" data-testid="integration-url" value={url()} onInput={(e) => setUrl(e.currentTarget.value)} placeholder="https://…" />
        <FieldError failure={save.failure()} path={urlPath()} />
      </label>
      <label class="field">
        <span>{HELP[kind()].secret}</span>
        <input class="input mono" type="password" data-testid="integration-secret" value={secret()} onInput={(e) => setSecret(e.currentTarget.value)} />
        <span class="muted small">{HELP[kind()].secretHelp}</span>
        <FieldError failure={save.failure()} path={secretPath()} />
      </label>
      <FormError failure={save.failure()} fields={['name', 'config']} />
      <Show when={save.failure()?.issues.some((i) => i.path === 'config')}>
        <FieldError failure={save.failure()} path="config" exact />
      </Show>
      <div class="row gap">
        <button type="submit" class="btn btn-primary" data-testid="integration-save" disabled={save.pending() || !name().trim() || !url().trim()}>
          Connect
        </button>
        <button type="button" class="btn" onClick={() => props.onCancel()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
