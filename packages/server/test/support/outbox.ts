import type { TestServer } from './server.ts';

export type OutboxMessage = {
  channel: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
};

/** The newest dev-outbox message to an address, read from the server's own store. */
export async function lastMessage(s: TestServer, to: string): Promise<OutboxMessage | undefined> {
  const row = await s.server.store.db
    .selectFrom('outbox_messages')
    .selectAll()
    .where('project_id', '=', s.projectId)
    .where('recipient', '=', to)
    .orderBy('created_time', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return (
    row && {
      channel: row.channel,
      kind: row.kind,
      to: row.recipient,
      subject: row.subject,
      text: row.text_body,
      html: row.html_body,
    }
  );
}

export async function messagesTo(s: TestServer, to: string): Promise<number> {
  const rows = await s.server.store.db
    .selectFrom('outbox_messages')
    .select('id')
    .where('project_id', '=', s.projectId)
    .where('recipient', '=', to)
    .execute();
  return rows.length;
}

export const codeIn = (m: OutboxMessage | undefined): string => {
  // Voice messages read the digits one by one ("1 9 4 6 9 8").
  const match = /\b(\d(?:[ ,.]{0,2}\d){3,9})\b/.exec(m?.text ?? '');
  if (!match) throw new Error(`no code in message: ${m?.text}`);
  return match[1]!.replace(/\D/g, '');
};

export const tokensIn = (m: OutboxMessage | undefined): string[] =>
  [...(m?.text ?? '').matchAll(/[?&]t=([A-Za-z0-9]+)/g)].map((x) => x[1]!);
