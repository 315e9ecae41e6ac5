import { showToast, toastError } from '../state/toasts';

/**
 * Deletes once the user confirms `question`: says `done` and calls `after` (a refetch) when it
 * went through; a refusal (still in use, already gone) becomes an error toast and changes nothing.
 */
export async function deleteConfirmed(question: string, del: () => Promise<unknown>, done: string, after: () => void): Promise<void> {
  if (!confirm(question)) return;
  try {
    await del();
    showToast(done);
    after();
  } catch (err) {
    toastError(err);
  }
}
