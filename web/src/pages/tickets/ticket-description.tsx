import { createSignal, Show, type JSX } from 'solid-js';
import { createAction } from '../../lib/action';
import { updateTicket } from '../../state/tickets';
import { FieldError, FormError } from '../../components/feedback';

/**
 * The ticket's description, edited in place by technicians: Ctrl+Enter (⌘+Enter) saves,
 * Escape cancels. Live updates of the ticket do not touch a draft being typed.
 */
export function TicketDescription(props: { ticketId: string; description: string; editable: boolean; onSaved: () => void }): JSX.Element {
  const [draft, setDraft] = createSignal<string | null>(null);
  let editButton: HTMLButtonElement | undefined;

  const close = () => {
    setDraft(null);
    save.clear();
    queueMicrotask(() => editButton?.focus());
  };
  const save = createAction(async () => {
    const description = draft();
    if (description === null) return;
    if (description !== props.description) await updateTicket(props.ticketId, { description });
    props.onSaved();
    close();
  });

  return (
    <section class="panel" aria-label="Description">
      <div class="panel-head">
        <h2>Description</h2>
        <span class="spacer" />
        <Show when={props.editable && draft() === null}>
          <button type="button" class="btn btn-small" data-testid="ticket-description-edit" ref={editButton} onClick={() => setDraft(props.description)}>
            Edit
          </button>
        </Show>
      </div>
      <Show
        when={draft() !== null}
        fallback={
          <p class="ticket-description" data-testid="ticket-description">
            {props.description || <span class="muted">No description.</span>}
          </p>
        }
      >
        <form
          class="form"
          data-testid="ticket-description-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save.run();
          }}
        >
          <textarea
            class="input"
            rows={8}
            maxLength={10_000}
            aria-label="Description"
            data-testid="ticket-description-input"
            value={draft() ?? ''}
            disabled={save.pending()}
            ref={(el) => queueMicrotask(() => el.focus())}
            onInput={(e) => setDraft(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                close();
              } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void save.run();
              }
            }}
          />
          <FieldError failure={save.failure()} path="description" />
          <FormError failure={save.failure()} fields={['description']} />
          <div class="row gap">
            <button type="submit" class="btn btn-primary btn-small" data-testid="ticket-description-save" disabled={save.pending()}>
              Save
            </button>
            <button type="button" class="btn btn-small" onClick={close}>
              Cancel
            </button>
            <span class="muted small">Ctrl+Enter saves · Escape cancels</span>
          </div>
        </form>
      </Show>
    </section>
  );
}
