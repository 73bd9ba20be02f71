import { OutboxItem } from '@zegel/protocol/api';
import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import type { TypedApp } from '../../http/typed-app.ts';

/**
 * Embedded mode only: the mail and text messages Zegel would have sent, for a demo or a
 * developer. Never registered in production, where they go to SMTP and the SMS provider.
 */
export function registerOutboxRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/outbox',
    {
      config: { access: 'public' },
      schema: { tags: ['embedded'], response: { 200: Type.Array(OutboxItem) } },
    },
    async () => {
      const rows = await deps.db
        .selectFrom('outbox')
        .selectAll()
        .orderBy('created_at', 'desc')
        .limit(200)
        .execute();
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
