import { randomInt } from 'node:crypto';
import type { Project } from '../../projects/repo.ts';
import type { Db } from '../../store/db.ts';
import { randomBase62 } from '../../util.ts';
import { linkWithToken } from '../passwordless/redirects.ts';
import { newLinkToken, type SecretRepo } from '../passwordless/secrets.ts';
import type { Prepared } from '../passwordless/service.ts';

/** Three distinct two-digit numbers; the first is the one shown to the user. */
export function linkNumbers(): [string, string, string] {
  const picked = new Set<number>();
  while (picked.size < 3) picked.add(randomInt(10, 100));
  return [...picked].map(String) as [string, string, string];
}

export function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Creates a pending session and its links (three for a message, one for a test user's generated link);
 * answers the pending ref, the number of the right link, and the links with the right one first.
 */
export async function createEnchantedLinks(
  db: Db,
  secrets: SecretRepo,
  project: Project,
  prepared: Prepared,
  redirect: string,
  count: 1 | 3,
) {
  const ttl = project.settings.passwordless.enchantedLinkExpirationSeconds;
  const pendingRef = randomBase62(43);
  const numbers = linkNumbers();
  const links: string[] = [];
  await db.transaction().execute(async (tx) => {
    const base = { loginId: prepared.loginId, userId: prepared.userId, method: 'email', ttlSeconds: ttl };
    const pendingId = await secrets.create(tx, project.id, {
      ...base,
      kind: 'enchanted-pending',
      secret: pendingRef,
      payload: prepared.payload,
    });
    for (let i = 0; i < count; i++) {
      const token = newLinkToken();
      await secrets.create(tx, project.id, {
        ...base,
        kind: 'enchanted-link',
        secret: token,
        groupId: pendingId,
        payload: { flow: prepared.payload.flow, correct: i === 0 },
      });
      links.push(linkWithToken(redirect, token, count === 3 ? { n: numbers[i]! } : {}));
    }
  });
  return { pendingRef, linkId: numbers[0], links, ttl };
}
