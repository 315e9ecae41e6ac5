import { createResource, createSignal, For, type JSX } from 'solid-js';
import { settled } from '../../lib/resource';
import { api, call } from '../../api/client';
import { createAction } from '../../lib/action';
import { loadSites, type Client } from '../../state/directory';
import { FieldError, FormError } from '../../components/feedback';
import type { CreatedKey } from './enrollment-page';

const FIELDS = ['name', 'clientId', 'siteId', 'expiresInHours', 'maxUses'];

export function CreateKeyForm(props: { clients: Client[]; onCreated: (k: CreatedKey) => void }): JSX.Element {
  const [clientId, setClientId] = createSignal('');
  const [siteId, setSiteId] = createSignal('');
  const [name, setName] = createSignal('');
  const [hours, setHours] = createSignal('168');
  const [maxUses, setMaxUses] = createSignal('');
  const [sites] = createResource(() => clientId() || false, (id) => loadSites(id));

  const create = createAction(async () => {
    const res = await call(
      api['enrollment-keys'].$post({
        json: {
          name: name().trim(),
          clientId: clientId(),
          siteId: siteId(),
          expiresInHours: hours() ? Number(hours()) : undefined,
          maxUses: maxUses() ? Number(maxUses()) : undefined,
        },
      }),
    );
    setName('');
    props.onCreated(res);
  });

  return (
    <section class="panel">
      <div class="panel-head">
        <h2>New enrollment key</h2>
        <span class="muted">A key enrolls devices into one site. It is shown once.</span>
      </div>
      <form
        class="form form-row"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <label class="field">
          <span>Client</span>
          <select
            class="input select"
            data-testid="enroll-client"
            value={clientId()}
            onChange={(e) => {
              setClientId(e.currentTarget.value);
              setSiteId('');
            }}
          >
            <option value="">Choose…</option>
            <For each={props.clients}>{(c) => <option value={c.id}>{c.name}</option>}</For>
          </select>
          <FieldError failure={create.failure()} path="clientId" />
        </label>
        <label class="field">
          <span>Site</span>
          <select
            class="input select"
            data-testid="enroll-site"
            value={siteId()}
            disabled={!clientId()}
            onChange={(e) => setSiteId(e.currentTarget.value)}
          >
            <option value="">{clientId() && settled(sites)?.length === 0 ? 'No sites: add one first' : 'Choose…'}</option>
            <For each={settled(sites) ?? []}>{(s) => <option value={s.id}>{s.name}</option>}</For>
          </select>
          <FieldError failure={create.failure()} path="siteId" />
        </label>
        <label class="field grow">
          <span>Name</span>
          <input class="input" placeholder="e.g. HQ rollout" data-testid="enroll-name" value={name()} onInput={(e) => setName(e.currentTarget.value)} />
          <FieldError failure={create.failure()} path="name" />
        </label>
        <label class="field">
          <span>Expires in (hours)</span>
          <input class="input input-num" type="number" min="1" value={hours()} onInput={(e) => setHours(e.currentTarget.value)} />
          <FieldError failure={create.failure()} path="expiresInHours" />
        </label>
        <label class="field">
          <span>Max uses</span>
          <input class="input input-num" type="number" min="1" placeholder="∞" value={maxUses()} onInput={(e) => setMaxUses(e.currentTarget.value)} />
          <FieldError failure={create.failure()} path="maxUses" />
        </label>
        <button type="submit" class="btn btn-primary" data-testid="create-key" disabled={!clientId() || !siteId() || !name().trim() || create.pending()}>
          Create key
        </button>
      </form>
      <FormError failure={create.failure()} fields={FIELDS} />
    </section>
  );
}
