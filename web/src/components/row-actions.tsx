import type { JSX } from 'solid-js';

/** Edit and Delete for one row of a settings list; `what` names the row for screen readers ("calendar Office"). */
export function RowActions(props: { what: string; onEdit: () => void; onDelete: () => void; deleteTestId?: string }): JSX.Element {
  return (
    <>
      <button type="button" class="btn btn-small" aria-label={`Edit ${props.what}`} onClick={() => props.onEdit()}>
        Edit
      </button>{' '}
      <button type="button" class="btn btn-ghost btn-small" data-testid={props.deleteTestId} aria-label={`Delete ${props.what}`} onClick={() => props.onDelete()}>
        Delete
      </button>
    </>
  );
}
