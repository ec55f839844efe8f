import { LatchkeyError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import { createOutbox } from './outbox.ts';
import { render } from './templates.ts';
import type { Delivery, OutgoingMessage } from './types.ts';

/**
 * Routes each message to the project's provider for its channel. With no provider configured, messages
 * go to the dev outbox in development mode; in production that is refused unless the outbox is enabled.
 */
export function createDelivery(deps: {
  db: Db;
  mode: 'development' | 'production';
}): Delivery & { outbox: ReturnType<typeof createOutbox> } {
  const outbox = createOutbox(deps.db);
  return {
    outbox,
    async send(projectId, settings, message: OutgoingMessage) {
      const rendered = render(message.channel, message.kind, message.vars, settings.templates as never);
      const outboxEnabled =
        (settings.outbox as { enabled?: boolean } | undefined)?.enabled ?? deps.mode === 'development';
      if (!outboxEnabled) {
        throw new LatchkeyError(
          'deliveryNotConfigured',
          `No ${message.channel === 'email' ? 'email' : 'text-message'} provider is configured for this project`,
        );
      }
      await outbox.store(projectId, message, rendered);
    },
  };
}
