import { createSignal, type Accessor } from 'solid-js';
import { ApiFailure, toFailure } from '../api/errors';

export interface Action<A extends unknown[], T> {
  pending: Accessor<boolean>;
  failure: Accessor<ApiFailure | null>;
  /** Runs the action; resolves to undefined when it failed (the failure is in `failure`). */
  run: (...args: A) => Promise<T | undefined>;
  clear: () => void;
}

/** Tracks one async operation for a form: pending flag, the last failure, no double submits. */
export function createAction<A extends unknown[], T>(fn: (...args: A) => Promise<T>): Action<A, T> {
  const [pending, setPending] = createSignal(false);
  const [failure, setFailure] = createSignal<ApiFailure | null>(null);
  return {
    pending,
    failure,
    clear: () => setFailure(null),
    async run(...args: A) {
      if (pending()) return undefined;
      setPending(true);
      setFailure(null);
      try {
        return await fn(...args);
      } catch (err) {
        setFailure(toFailure(err));
        return undefined;
      } finally {
        setPending(false);
      }
    },
  };
}
