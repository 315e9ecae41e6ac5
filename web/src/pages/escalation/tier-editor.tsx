import { For, Show, type JSX } from 'solid-js';
import type { SetStoreFunction } from 'solid-js/store';
import { StaffRole } from '../../../../protocol/api/common';
import type { EscalationTier } from '../../../../protocol/api/escalation';
import type { ApiFailure } from '../../api/errors';
import type { User } from '../../state/users';
import { FieldError } from '../../components/feedback';
import { ChannelPicker } from './channel-picker';
import type { Channel } from './policies';

/** A tier as the form holds it: minutes as typed. */
export interface TierDraft {
  afterMinutes: string;
  userIds: string[];
  roles: EscalationTier['roles'];
  integrationIds: string[];
}

export const toTierDraft = (t: EscalationTier): TierDraft => ({
  afterMinutes: String(t.afterMinutes),
  userIds: [...t.userIds],
  roles: [...t.roles],
  integrationIds: [...(t.integrationIds ?? [])],
});

/**
 * Who hears about an unacknowledged alert, and when: each tier after so many minutes,
 * to named users and/or everyone holding a role (limited to users who may see the client),
 * and to the integrations it names.
 */
export function TierEditor(props: {
  tiers: TierDraft[];
  setTiers: SetStoreFunction<TierDraft[]>;
  users: User[];
  channels: Channel[];
  failure: ApiFailure | null;
}): JSX.Element {
  // Portal users are customers: they are never paged.
  const active = () => props.users.filter((u) => !u.disabledAt && u.role !== 'client');
  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));

  return (
    <div class="tiers" data-testid="tiers">
      <For each={props.tiers}>
        {(tier, i) => (
          <fieldset class="tier" data-testid="tier">
            <legend>Tier {i() + 1}</legend>
            <div class="row gap">
              <label class="field">
                <span>After (minutes unacknowledged)</span>
                <input
                  class="input input-num"
                  inputMode="numeric"
                  value={tier.afterMinutes}
                  onInput={(e) => props.setTiers(i(), 'afterMinutes', e.currentTarget.value)}
                  data-testid="tier-after"
                />
                <FieldError failure={props.failure} path={`tiers.${i()}.afterMinutes`} />
              </label>
              <span class="spacer" />
              <Show when={props.tiers.length > 1}>
                <button type="button" class="btn-link danger" onClick={() => props.setTiers((t) => t.filter((_, j) => j !== i()))} aria-label={`Remove tier ${i() + 1}`}>
                  Remove tier
                </button>
              </Show>
            </div>
            <div class="field">
              <span>Roles</span>
              <div class="row gap wrap">
                <For each={StaffRole.options}>
                  {(r) => (
                    <label class="check">
                      <input type="checkbox" checked={tier.roles.includes(r)} onChange={(e) => props.setTiers(i(), 'roles', toggle(tier.roles, r, e.currentTarget.checked))} />
                      {r}
                    </label>
                  )}
                </For>
              </div>
              <FieldError failure={props.failure} path={`tiers.${i()}.roles`} />
            </div>
            <div class="field">
              <span>Users</span>
              <Show when={active().length} fallback={<span class="muted small">Only admins can list users; roles still work.</span>}>
                <div class="check-list">
                  <For each={active()}>
                    {(u) => (
                      <label class="check">
                        <input type="checkbox" checked={tier.userIds.includes(u.id)} onChange={(e) => props.setTiers(i(), 'userIds', toggle(tier.userIds, u.id, e.currentTarget.checked))} />
                        {u.name} <span class="muted small">{u.role}</span>
                      </label>
                    )}
                  </For>
                </div>
              </Show>
              <FieldError failure={props.failure} path={`tiers.${i()}.userIds`} />
            </div>
            <ChannelPicker tier={i() + 1} channels={props.channels} selected={tier.integrationIds} onChange={(ids) => props.setTiers(i(), 'integrationIds', ids)} />
            <FieldError failure={props.failure} path={`tiers.${i()}.integrationIds`} />
            <FieldError failure={props.failure} path={`tiers.${i()}`} exact />
          </fieldset>
        )}
      </For>
      <FieldError failure={props.failure} path="tiers" exact />
      <Show when={props.tiers.length < 10}>
        <button
          type="button"
          class="btn btn-small"
          data-testid="add-tier"
          onClick={() => {
            const last = props.tiers[props.tiers.length - 1];
            props.setTiers(props.tiers.length, { afterMinutes: String((Number(last?.afterMinutes) || 0) + 15), userIds: [], roles: [], integrationIds: [] });
          }}
        >
          Add tier
        </button>
      </Show>
    </div>
  );
}
