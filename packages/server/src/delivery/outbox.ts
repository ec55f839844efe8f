import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import { nowSeconds, randomBase62 } from '../util.ts';
import type { Template } from './templates.ts';
import type { OutgoingMessage } from './types.ts';

export type OutboxMessage = {
  id: string;
  channel: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  createdTime: number;
};

export const OUTBOX_RETENTION_SECONDS = 86_400;

let sequence = 0;
/** Ids sort by creation (milliseconds, then a per-process counter), so "newest first" holds within a second. */
const messageId = () => {
  sequence = (sequence + 1) % 0x10000;
  return `${Date.now().toString(16).padStart(12, '0')}${sequence.toString(16).padStart(4, '0')}${randomBase62(8)}`;
};

/** The development outbox: messages are stored, to be read from a JSON endpoint or an HTML page. */
export function createOutbox(db: Db) {
  return {
    async store(projectId: string, message: OutgoingMessage, rendered: Template): Promise<string> {
      const id = messageId();
      // Codes and links expire long before a day: older messages are only clutter (and stale secrets).
      await db
        .deleteFrom('outbox_messages')
        .where('project_id', '=', projectId)
        .where('created_time', '<', nowSeconds() - OUTBOX_RETENTION_SECONDS)
        .execute();
      await db
        .insertInto('outbox_messages')
        .values({
          project_id: projectId,
          id,
          channel: message.channel,
          kind: message.kind,
          recipient: message.to,
          subject: rendered.subject,
          text_body: rendered.text,
          html_body: rendered.html,
          created_time: nowSeconds(),
        })
        .execute();
      return id;
    },
    /** Newest first; `recipient` matches case-insensitively (people type addresses both ways). */
    async list(
      projectId: string,
      options: { recipient?: string; limit?: number } = {},
    ): Promise<OutboxMessage[]> {
      let q = db.selectFrom('outbox_messages').selectAll().where('project_id', '=', projectId);
      if (options.recipient)
        q = q.where(sql<string>`lower(recipient)`, '=', options.recipient.trim().toLowerCase());
      const rows = await q
        .orderBy('created_time', 'desc')
        .orderBy('id', 'desc')
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
        createdTime: Number(r.created_time),
      }));
    },
    async clear(projectId: string): Promise<number> {
      const result = await db
        .deleteFrom('outbox_messages')
        .where('project_id', '=', projectId)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
