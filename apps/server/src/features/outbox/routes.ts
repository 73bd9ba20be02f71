import { OutboxItem } from '@zegel/protocol/api';
import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { selectNewestOutboxItems } from './store.ts';

/**
 * Embedded mode only: the mail and text messages Zegel would have sent, for a demo or a
 * developer. Never registered in production, where they go to SMTP and the SMS provider.
 * It shows link secrets, SMS codes and reset tokens, so it is public only while the server
 * listens on loopback; an embedded server on the network (ZEGEL_EMBEDDED_ALLOW_NETWORK) shows
 * it to administrators only.
 */
export function registerOutboxRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/outbox',
    {
      config: { access: deps.config.embeddedAllowNetwork ? 'admin' : 'public' },
      schema: { tags: ['embedded'], response: { 200: Type.Array(OutboxItem) } },
    },
    async () => {
      const rows = await selectNewestOutboxItems(deps.db, 200);
      return rows.map((row) => ({
        id: row.id,
        channel: row.channel,
        recipient: row.recipient,
        subject: row.subject,
        textBody: row.text_body,
        htmlBody: row.html_body,
        createdAt: row.created_at.toISOString(),
      }));
    },
  );
}
