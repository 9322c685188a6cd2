import type { Logger } from '../logger.js';
import { DeliveryError } from './delivery-error.js';

/**
 * An SMS provider. `send` resolves with the provider's message id once the provider accepted the message,
 * and throws otherwise (a `DeliveryError` with `retryable: false` for permanent refusals).
 */
export interface SmsSender {
  /** Names the provider in logs. */
  readonly kind: string;
  send(to: string, text: string): Promise<{ id: string }>;
}

/**
 * The built-in stand-in until a provider is plugged in: it sends nothing, logs that an SMS would have been
 * sent (without the number or the text), and fails the attempt as `sms-not-configured`, so nothing ever
 * records an SMS as delivered.
 */
export function createLogSmsSender(logger: Logger): SmsSender {
  return {
    kind: 'log',
    async send(_to, text) {
      logger.warn('an SMS would be sent here, but no SMS provider is configured: nothing was sent', {
        characters: text.length,
      });
      throw new DeliveryError('sms-not-configured', { retryable: false });
    },
  };
}
