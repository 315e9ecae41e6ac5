import { For, Show, type JSX } from 'solid-js';
import { CLASSIFICATION_LABEL, CLASSIFICATIONS, type Classification, type PatchPolicy, type PolicyRule } from '../../state/patches';

const ACTION_LABEL: Record<PolicyRule['action'], string> = { auto: 'Approve automatically', manual: 'Wait for a person', decline: 'Decline' };
const ACTIONS = Object.keys(ACTION_LABEL) as PolicyRule['action'][];

/** One rule: what happens, and for `auto` how many days an update must have been seen first. */
function RuleFields(props: { rule: PolicyRule | undefined; follow?: string; onChange: (r: PolicyRule | undefined) => void; testId: string }): JSX.Element {
  return (
    <>
      <td>
        <select
          class="input select"
          aria-label="Action"
          data-testid={`${props.testId}-action`}
          onChange={(e) => {
            const action = e.currentTarget.value as PolicyRule['action'] | '';
            props.onChange(action ? { action, afterDays: props.rule?.afterDays ?? 0 } : undefined);
          }}
        >
          <Show when={props.follow}>
            <option value="" selected={!props.rule}>
              {props.follow}
            </option>
          </Show>
          <For each={ACTIONS}>{(a) => <option value={a} selected={props.rule?.action === a}>{ACTION_LABEL[a]}</option>}</For>
        </select>
      </td>
      <td>
        <Show when={props.rule?.action === 'auto'}>
          <label class="row gap nowrap">
            after
            <input
              class="input input-num"
              type="number"
              min="0"
              max="365"
              aria-label="Days after first seen"
              data-testid={`${props.testId}-days`}
              value={props.rule?.afterDays ?? 0}
              onInput={(e) => props.onChange({ action: 'auto', afterDays: Math.max(0, Math.min(365, Math.floor(Number(e.currentTarget.value) || 0))) })}
            />
            days
          </label>
        </Show>
      </td>
    </>
  );
}

/**
 * A policy as a table: a rule per classification (or "as otherwise"), then the `otherwise`
 * rule every unnamed classification follows.
 */
export function PolicyEditor(props: { policy: PatchPolicy; onChange: (p: PatchPolicy) => void; testId: string }): JSX.Element {
  const rules = () => props.policy.rules as Partial<Record<Classification, PolicyRule>>;
  const setRule = (c: Classification, rule: PolicyRule | undefined) => {
    const next = { ...rules() };
    if (rule) next[c] = rule;
    else delete next[c];
    props.onChange({ ...props.policy, rules: next as PatchPolicy['rules'] });
  };
  return (
    <table class="table policy-table" data-testid={props.testId}>
      <thead>
        <tr>
          <th>Classification</th>
          <th>Action</th>
          <th />
        </tr>
      </thead>
      <tbody>
        <For each={CLASSIFICATIONS}>
          {(c) => (
            <tr>
              <td>{CLASSIFICATION_LABEL[c]}</td>
              <RuleFields rule={rules()[c]} follow="As “otherwise”" onChange={(r) => setRule(c, r)} testId={`${props.testId}-${c}`} />
            </tr>
          )}
        </For>
        <tr class="policy-otherwise">
          <td>
            <strong>Otherwise</strong>
          </td>
          <RuleFields rule={props.policy.otherwise} onChange={(r) => r && props.onChange({ ...props.policy, otherwise: r })} testId={`${props.testId}-otherwise`} />
        </tr>
      </tbody>
    </table>
  );
}
