import { createSignal, For, type JSX } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { api, call } from '../../api/client';
import { ApiFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { DEFAULT_BODY_TEMPLATE, DEFAULT_PRIORITY_MAP, DEFAULT_TITLE_TEMPLATE } from '../../../../protocol/api/ticket-rules';
import { TEMPLATE_TOKENS } from '../../../../protocol/templates';
import type { Client, Site } from '../../state/directory';
import { PRIORITIES, type TicketPriority } from '../../state/tickets';
import { FieldError } from '../../components/feedback';
import { FormFooter } from '../../components/form-footer';
import { MatchFields } from './rule-match';
import { AssignmentFields } from './rule-assignment';
import { RulePreview } from './rule-preview';
import type { Assignment, RuleMatch, TicketRule, UserOption } from './rule-types';

const FIELDS = ['name', 'match', 'titleTemplate', 'bodyTemplate', 'priorityMap', 'assignment', 'dedupMinutes', 'closeOnResolve'];
const SEVERITY_ORDER = ['critical', 'warning', 'info'] as const;

/** Create or change a rule; beside it, the live preview of what its tickets will read. */
export function RuleForm(props: {
  initial: TicketRule | null;
  clients: Client[];
  sites: Site[];
  users: UserOption[];
  onSaved: (r: TicketRule) => void;
  onCancel: () => void;
}): JSX.Element {
  const init = props.initial;
  const [name, setName] = createSignal(init?.name ?? '');
  const [enabled, setEnabled] = createSignal(init?.enabled ?? true);
  const [match, setMatch] = createStore<RuleMatch>(structuredClone(init?.match ?? {}));
  const [title, setTitle] = createSignal(init?.titleTemplate ?? DEFAULT_TITLE_TEMPLATE);
  const [body, setBody] = createSignal(init?.bodyTemplate ?? DEFAULT_BODY_TEMPLATE);
  const [priorityMap, setPriorityMap] = createStore<TicketRule['priorityMap']>({ ...(init?.priorityMap ?? DEFAULT_PRIORITY_MAP) });
  const [assignment, setAssignment] = createSignal<Assignment>(init?.assignment ?? { mode: 'none' });
  const [dedup, setDedup] = createSignal(String(init?.dedupMinutes ?? 60));
  const [closeOnResolve, setCloseOnResolve] = createSignal(init?.closeOnResolve ?? false);

  const save = createAction(async () => {
    const minutes = Number(dedup());
    if (dedup().trim() === '' || !Number.isInteger(minutes)) throw new ApiFailure(400, 'validation_failed', 'check the highlighted fields', [{ path: 'dedupMinutes', message: 'whole minutes' }]);
    const json = {
      name: name().trim(),
      enabled: enabled(),
      match: structuredClone({ ...match }),
      titleTemplate: title(),
      bodyTemplate: body(),
      priorityMap: { ...priorityMap },
      assignment: assignment(),
      dedupMinutes: minutes,
      closeOnResolve: closeOnResolve(),
    };
    const saved = init
      ? await call(api['ticket-rules'][':id'].$patch({ param: { id: init.id }, json }))
      : await call(api['ticket-rules'].$post({ json }));
    props.onSaved(saved);
  });

  return (
    <div class="split">
      <form
        class="form panel"
        data-testid="rule-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <div class="fields-row">
          <label class="field grow">
            <span>Name</span>
            <input class="input" data-testid="rule-name" value={name()} onInput={(e) => setName(e.currentTarget.value)} ref={(el) => queueMicrotask(() => el.focus())} />
            <FieldError failure={save.failure()} path="name" />
          </label>
          <label class="check">
            <input type="checkbox" checked={enabled()} onChange={(e) => setEnabled(e.currentTarget.checked)} />
            Enabled
          </label>
        </div>
        <h3>Which alerts</h3>
        <MatchFields value={match} clients={props.clients} sites={props.sites} onChange={(m) => setMatch(reconcile(m))} />
        <FieldError failure={save.failure()} path="match" />
        <h3>The ticket</h3>
        <label class="field">
          <span>Title template</span>
          <input class="input mono" data-testid="rule-title" value={title()} onInput={(e) => setTitle(e.currentTarget.value)} />
          <FieldError failure={save.failure()} path="titleTemplate" />
        </label>
        <label class="field">
          <span>Body template</span>
          <textarea class="input mono" rows={7} data-testid="rule-body" value={body()} onInput={(e) => setBody(e.currentTarget.value)} />
          <FieldError failure={save.failure()} path="bodyTemplate" />
        </label>
        <p class="muted small">
          Tokens: <For each={TEMPLATE_TOKENS}>{(t) => <code class="mono">{`{{${t}}} `}</code>}</For>
        </p>
        <div class="fields-row">
          <For each={SEVERITY_ORDER}>
            {(s) => (
              <label class="field">
                <span>{s} alert → priority</span>
                <select class="input select" data-testid={`rule-priority-${s}`} onChange={(e) => setPriorityMap(s, e.currentTarget.value as TicketPriority)}>
                  <For each={PRIORITIES}>{(p) => <option value={p} selected={p === priorityMap[s]}>{p}</option>}</For>
                </select>
              </label>
            )}
          </For>
        </div>
        <h3>Assignment</h3>
        <AssignmentFields value={assignment()} users={props.users} clients={props.clients} onChange={setAssignment} />
        <FieldError failure={save.failure()} path="assignment" />
        <div class="fields-row">
          <label class="field">
            <span>Dedup window (minutes; 0: never)</span>
            <input class="input input-num" inputMode="numeric" data-testid="rule-dedup" value={dedup()} onInput={(e) => setDedup(e.currentTarget.value)} />
            <FieldError failure={save.failure()} path="dedupMinutes" />
          </label>
          <label class="check">
            <input type="checkbox" data-testid="rule-close-on-resolve" checked={closeOnResolve()} onChange={(e) => setCloseOnResolve(e.currentTarget.checked)} />
            Resolve the ticket when its alerts resolve
          </label>
        </div>
        <FormFooter failure={save.failure()} fields={FIELDS} pending={save.pending()} saveTestId="rule-save" saveLabel={init ? 'Save rule' : 'Create rule'} onCancel={props.onCancel} />
      </form>
      <RulePreview titleTemplate={title()} bodyTemplate={body()} />
    </div>
  );
}
