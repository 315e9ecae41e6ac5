import type { JSX } from 'solid-js';
import type { ApiFailure } from '../api/errors';
import { FormError } from './feedback';

/** The end of an edit form: what failed outside its fields, then save and cancel. */
export function FormFooter(props: {
  failure: ApiFailure | null;
  /** Fields that show their own errors, so the form-level message leaves them out. */
  fields: string[];
  pending: boolean;
  saveTestId: string;
  saveLabel: string;
  onCancel: () => void;
}): JSX.Element {
  return (
    <>
      <FormError failure={props.failure} fields={props.fields} />
      <div class="row gap">
        <button type="submit" class="btn btn-primary" data-testid={props.saveTestId} disabled={props.pending}>
          {props.saveLabel}
        </button>
        <button type="button" class="btn" onClick={() => props.onCancel()}>
          Cancel
        </button>
      </div>
    </>
  );
}
