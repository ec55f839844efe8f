import type { Logger } from 'pino';
import { maintainAudit } from '../audit/retention.ts';
import { pruneChanges } from '../authz/changes.ts';
import { nowSeconds } from '../util.ts';
import type { Db } from './db.ts';

/** Used codes and links are kept a day after they expire (for support questions), then removed. */
const SECRET_GRACE_SECONDS = 86_400;
/** Refresh-token rows are the revocation list: useless once the token itself has expired. */
const REFRESH_GRACE_SECONDS = 86_400;

/** Deletes what can no longer matter: expired one-time secrets and expired refresh-token rows. */
export async function pruneExpired(
  db: Db,
  now = nowSeconds(),
): Promise<{ secrets: number; refreshTokens: number }> {
  const secrets = await db
    .deleteFrom('one_time_secrets')
    .where('expires_time', '<', now - SECRET_GRACE_SECONDS)
    .executeTakeFirst();
  const refresh = await db
    .deleteFrom('refresh_tokens')
    .where('expires_time', '<', now - REFRESH_GRACE_SECONDS)
    .executeTakeFirst();
  return { secrets: Number(secrets.numDeletedRows), refreshTokens: Number(refresh.numDeletedRows) };
}

/**
 * Runs `pruneExpired` every few minutes. Every instance may run it: the deletes are idempotent. The timer
 * never keeps the process alive, and a failure is logged, not thrown.
 */
export function startMaintenance(db: Db, logger: Logger, intervalMs = 10 * 60_000): () => void {
  const timer = setInterval(() => {
    pruneExpired(db).then(
      (removed) => logger.debug(removed, 'pruned expired rows'),
      (err) => logger.warn({ err }, 'pruning expired rows failed'),
    );
    maintainAudit(db).then(
      (audit) => logger.debug({ audit }, 'pruned audit records past retention'),
      (err) => logger.warn({ err }, 'pruning audit records failed'),
    );
    pruneChanges(db).then(
      (authzChanges) => logger.debug({ authzChanges }, 'pruned ReBAC change-log entries past retention'),
      (err) => logger.warn({ err }, 'pruning the ReBAC change log failed'),
    );
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
