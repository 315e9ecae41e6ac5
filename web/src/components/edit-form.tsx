import type { JSX } from 'solid-js';
import type { Action } from '../lib/action';
import { FormFooter } from './form-footer';

/** An inline create-or-edit form of a settings list: Enter saves, Escape cancels, save and cancel close it. */
export function EditForm(props: {
  testId: string;
  label: string;
  save: Pick<Action<[], unknown>, 'run' | 'pending' | 'failure'>;
  /** Fields that show their own errors (see FormFooter). */
  fields: string[];
  saveTestId: string;
  saveLabel: string;
  onCancel: () => void;
  children: JSX.Element;
}): JSX.Element {
  return (
    <form
      class="form panel"
      data-testid={props.testId}
      aria-label={props.label}
      onSubmit={(e) => {
        e.preventDefault();
        void props.save.run();
      }}
      onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}
    >
      {props.children}
      <FormFooter
        failure={props.save.failure()}
        fields={props.fields}
        pending={props.save.pending()}
        saveTestId={props.saveTestId}
        saveLabel={props.saveLabel}
        onCancel={props.onCancel}
      />
    </form>
  );
}
