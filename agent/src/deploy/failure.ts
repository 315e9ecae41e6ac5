import type { DeployFailure } from '../../../protocol/packages';

/**
 * A deployment that cannot go on, with the word the server files it under: the done frame's
 * error is `<failure>: <message>`.
 */
export class DeployError extends Error {
  constructor(
    readonly failure: DeployFailure,
    message: string,
  ) {
    super(message);
    this.name = 'DeployError';
  }
}

/** `signature_failed: …` as the done frame and the InstallResult say it. */
export function failureText(failure: DeployFailure, message: string): string {
  return `${failure}: ${message}`;
}
