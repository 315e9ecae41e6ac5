import { createSignal, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { createAction } from '../../lib/action';
import type { Client } from '../../state/directory';
import { FieldError, FormError } from '../../components/feedback';
import { SitePicker, type SiteChoice } from '../../components/site-picker';
import type { CreatedKey } from './enrollment-page';

const FIELDS = ['name', 'clientId', 'siteId', 'expiresInHours', 'maxUses'];

export function CreateKeyForm(props: { clients: Client[]; onCreated: (k: CreatedKey) => void }): JSX.Element {
  const [place, setPlace] = createSignal<SiteChoice>({ clientId: '', siteId: '' });
  const [name, setName] = createSignal('');
  const [hours, setHours] = createSignal('168');
  const [maxUses, setMaxUses] = createSignal('');

  const create = createAction(async () => {
    const res = await call(
      api['enrollment-keys'].$post({
        json: {
          name: name().trim(),
          clientId: place().clientId,
          siteId: place().siteId,
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
        <SitePicker
          clients={props.clients}
          value={place()}
          onChange={setPlace}
          failure={create.failure()}
          testId="enroll"
        />
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
        <button type="submit" class="btn btn-primary" data-testid="create-key" disabled={!place().siteId || !name().trim() || create.pending()}>
          Create key
        </button>
      </form>
      <FormError failure={create.failure()} fields={FIELDS} />
    </section>
  );
}
