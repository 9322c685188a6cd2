/**
 * A channel's refusal or failure to deliver. `code` is short and stable (`http-503`, `smtp-550`, `timeout`)
 * and never holds a secret, a target or text; `retryable` says whether trying again may help.
 */
export class DeliveryError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  constructor(code: string, options: { readonly retryable: boolean; readonly cause?: unknown }) {
    super(`Delivery failed: ${code}.`, { cause: options.cause });
    this.name = 'DeliveryError';
    this.code = code;
    this.retryable = options.retryable;
  }
}

const safeCode = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** The delivery error of anything a channel threw: unknown failures are retryable `send-error`s. */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError && safeCode.test(error.code)) return error;
  return new DeliveryError('send-error', { retryable: true, cause: error });
}
