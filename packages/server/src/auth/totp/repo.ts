import type { Db } from '../../store/db.ts';
import { nowSeconds } from '../../util.ts';

export type TotpSeed = { secret: string; lastStep: number | null };

/** The TOTP columns of the users table: the seed and the last step accepted with it. */
export function createTotpRepo() {
  return {
    async seedOf(db: Db, projectId: string, userId: string): Promise<TotpSeed | undefined> {
      const row = await db
        .selectFrom('users')
        .select(['totp_secret', 'totp_last_step'])
        .where('project_id', '=', projectId)
        .where('id', '=', userId)
        .executeTakeFirst();
      if (!row?.totp_secret) return undefined;
      return { secret: row.totp_secret, lastStep: row.totp_last_step };
    },

    /** Sets (or replaces) the seed; steps used with an earlier seed say nothing about the new one. */
    async setSeed(db: Db, projectId: string, userId: string, secret: string): Promise<void> {
      await db
        .updateTable('users')
        .set({ totp_secret: secret, totp_last_step: null, modified_time: nowSeconds() })
        .where('project_id', '=', projectId)
        .where('id', '=', userId)
        .execute();
    },

    /**
     * Marks `step` used, only if it is later than every step used before and the seed is still the one the
     * code was checked against. One statement, so of two requests racing with the same code exactly one wins.
     */
    async claimStep(
      db: Db,
      projectId: string,
      userId: string,
      secret: string,
      step: number,
    ): Promise<boolean> {
      const result = await db
        .updateTable('users')
        .set({ totp_last_step: step })
        .where('project_id', '=', projectId)
        .where('id', '=', userId)
        .where('totp_secret', '=', secret)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async removeSeed(db: Db, projectId: string, userId: string): Promise<void> {
      await db
        .updateTable('users')
        .set({ totp_secret: null, totp_last_step: null, modified_time: nowSeconds() })
        .where('project_id', '=', projectId)
        .where('id', '=', userId)
        .execute();
    },
  };
}

export type TotpRepo = ReturnType<typeof createTotpRepo>;
