import type { Db } from '../store/db.ts';
import { newId, nowSeconds } from '../util.ts';
import type { Template } from './templates.ts';
import type { OutgoingMessage } from './types.ts';

/** The development outbox: messages are stored, to be read from a JSON endpoint or an HTML page. */
export function createOutbox(db: Db) {
  return {
    async store(projectId: string, message: OutgoingMessage, rendered: Template): Promise<void> {
      await db
        .insertInto('outbox_messages')
        .values({
          project_id: projectId,
          id: newId.jti(),
          channel: message.channel,
          kind: message.kind,
          recipient: message.to,
          subject: rendered.subject,
          text_body: rendered.text,
          html_body: rendered.html,
          created_time: nowSeconds(),
        })
        .execute();
    },
    async list(projectId: string, options: { recipient?: string; limit?: number } = {}) {
      let q = db.selectFrom('outbox_messages').selectAll().where('project_id', '=', projectId);
      if (options.recipient) q = q.where('recipient', '=', options.recipient);
      const rows = await q
        .orderBy('created_time', 'desc')
        .limit(options.limit ?? 100)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        channel: r.channel,
        kind: r.kind,
        to: r.recipient,
        subject: r.subject,
        text: r.text_body,
        html: r.html_body,
        createdTime: r.created_time,
      }));
    },
    async clear(projectId: string): Promise<void> {
      await db.deleteFrom('outbox_messages').where('project_id', '=', projectId).execute();
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
