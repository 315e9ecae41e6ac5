import { createSignal, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api, call } from '../../api/client';
import { ApiFailure } from '../../api/errors';
import type { User } from '../../state/users';
import { FieldError, FormError } from '../../components/feedback';
import { createAction } from '../../lib/action';
import type { Channel, Policy } from './policies';
import { TierEditor, toTierDraft, type TierDraft } from './tier-editor';

const FIELDS = ['name', 'tiers', 'repeatEveryMinutes', 'isDefault'];

/** Create or change a policy; tiers are saved as a whole list, as the API keeps them. */
export function PolicyForm(props: { initial?: Policy; users: User[]; channels: Channel[] | undefined; onSaved: (p: Policy) => void; onCancel: () => void }): JSX.Element {
  const [name, setName] = createSignal(props.initial?.name ?? '');
  const [isDefault, setIsDefault] = createSignal(props.initial?.isDefault ?? false);
  const [repeat, setRepeat] = createSignal(props.initial?.repeatEveryMinutes != null ? String(props.initial.repeatEveryMinutes) : '');
  const [tiers, setTiers] = createStore<TierDraft[]>(props.initial ? props.initial.tiers.map(toTierDraft) : [{ afterMinutes: '0', userIds: [], roles: ['technician'], integrationIds: [] }]);

  // An integration deleted since the tier named it is dropped on save (the hub ignores it meanwhile).
  const known = (id: string) => props.channels === undefined || props.channels.some((c) => c.id === id);

  const body = () => {
    const issues: { path: string; message: string }[] = [];
    const number = (text: string, path: string) => {
      const n = Number(text);
      if (text.trim() === '' || !Number.isInteger(n)) issues.push({ path, message: 'whole minutes' });
      return n;
    };
    const out = {
      name: name().trim(),
      isDefault: isDefault(),
      repeatEveryMinutes: repeat().trim() ? number(repeat(), 'repeatEveryMinutes') : null,
      tiers: tiers.map((t, i) => ({
        afterMinutes: number(t.afterMinutes, `tiers.${i}.afterMinutes`),
        userIds: [...t.userIds],
        roles: [...t.roles],
        integrationIds: t.integrationIds.filter(known),
      })),
    };
    if (issues.length) throw new ApiFailure(400, 'validation_failed', 'check the highlighted fields', issues);
    return out;
  };

  const save = createAction(async () => {
    const json = body();
    const saved = props.initial
      ? await call(api['escalation-policies'][':id'].$patch({ param: { id: props.initial.id }, json }))
      : await call(api['escalation-policies'].$post({ json }));
    props.onSaved(saved);
  });
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void save.run();
  };

  return (
    <form class="form" data-testid="policy-form" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}>
      <div class="fields-row">
        <label class="field grow">
          <span>Name</span>
          <input class="input" value={name()} onInput={(e) => setName(e.currentTarget.value)} data-testid="policy-name" ref={(el) => queueMicrotask(() => el.focus())} />
          <FieldError failure={save.failure()} path="name" />
        </label>
        <label class="field">
          <span>Repeat the last tier every (minutes, optional)</span>
          <input class="input input-num" inputMode="numeric" value={repeat()} onInput={(e) => setRepeat(e.currentTarget.value)} placeholder="never" />
          <FieldError failure={save.failure()} path="repeatEveryMinutes" />
        </label>
        <label class="check field-check">
          <input type="checkbox" checked={isDefault()} onChange={(e) => setIsDefault(e.currentTarget.checked)} />
          Default for check sets without a policy
        </label>
      </div>
      <TierEditor tiers={tiers} setTiers={setTiers} users={props.users} channels={props.channels ?? []} failure={save.failure()} />
      <FormError failure={save.failure()} fields={FIELDS} />
      <div class="row gap">
        <button type="submit" class="btn btn-primary" disabled={save.pending() || !name().trim()} data-testid="policy-save">
          {save.pending() ? 'Saving…' : props.initial ? 'Save policy' : 'Create policy'}
        </button>
        <button type="button" class="btn btn-ghost" onClick={() => props.onCancel()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
