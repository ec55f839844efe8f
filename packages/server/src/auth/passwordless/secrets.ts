import { randomInt } from 'node:crypto';
import type { Db } from '../../store/db.ts';
import type { OneTimeSecretsTable } from '../../store/schema.ts';
import {
  constantTimeEqual,
  newId,
  normalizeLoginId,
  nowSeconds,
  parseJson,
  randomBase62,
  sha256Hex,
} from '../../util.ts';

export type SecretKind = 'otp' | 'magiclink' | 'enchanted-link' | 'enchanted-pending' | 'embedded';

/** What happens when the secret is redeemed: which user, which flow, and the options of the original request. */
export type SecretPayload = {
  flow: 'signup' | 'signin' | 'update-email' | 'update-phone' | 'reset';
  /** sign-up: the user to create at verification */
  newUser?: {
    name?: string;
    givenName?: string;
    middleName?: string;
    familyName?: string;
    email?: string;
    phone?: string;
  };
  /** update flows: the new address and how to merge it */
  address?: string;
  addToLoginIds?: boolean;
  onMergeUseExisting?: boolean;
  customClaims?: Record<string, unknown>;
  /** step-up / MFA: factors of the session that asked */
  previousAmr?: string[];
  /** `loginOptions.stepup`: the session issued on redeem is a step-up one (`su: true`) */
  stepup?: boolean;
  /** address verified by redeeming this secret */
  verifies?: 'email' | 'phone';
  /** sign-up embedded links: addresses the caller vouches for */
  verifiedEmail?: boolean;
  verifiedPhone?: boolean;
  /** enchanted links: whether this is the right one of the three */
  correct?: boolean;
};

export type SecretRow = {
  id: string;
  kind: SecretKind;
  loginId: string;
  userId: string;
  method: string;
  state: string;
  groupId: string;
  payload: SecretPayload;
  attempts: number;
  expiresTime: number;
  consumedTime: number | null;
};

export const newLinkToken = (): string => randomBase62(43);
export const newOtpCode = (length: number): string => Array.from({ length }, () => randomInt(10)).join('');
const hashSecret = (projectId: string, secret: string) => sha256Hex(`${projectId}:${secret}`);

/**
 * One-time codes and links. Only a hash of each secret is stored; redeeming is an atomic
 * "consume if not consumed" update, so a code or link works exactly once even under concurrency.
 */
export function createSecretRepo(db: Db) {
  const toRow = (r: OneTimeSecretsTable): SecretRow => ({
    id: r.id,
    kind: r.kind as SecretKind,
    loginId: r.login_id,
    userId: r.user_id,
    method: r.method,
    state: r.state,
    groupId: r.group_id,
    payload: parseJson<SecretPayload>(r.payload_json, { flow: 'signin' }),
    attempts: r.attempts,
    expiresTime: r.expires_time,
    consumedTime: r.consumed_time,
  });

  return {
    async create(
      conn: Db,
      projectId: string,
      input: {
        kind: SecretKind;
        secret: string;
        loginId: string;
        userId: string;
        method: string;
        payload: SecretPayload;
        ttlSeconds: number;
        groupId?: string;
      },
    ): Promise<string> {
      const id = newId.jti();
      const now = nowSeconds();
      await conn
        .insertInto('one_time_secrets')
        .values({
          project_id: projectId,
          id,
          kind: input.kind,
          secret_hash: hashSecret(projectId, input.secret),
          login_id: normalizeLoginId(input.loginId),
          user_id: input.userId,
          method: input.method,
          state: '',
          group_id: input.groupId ?? '',
          payload_json: JSON.stringify(input.payload),
          attempts: 0,
          expires_time: now + input.ttlSeconds,
          consumed_time: null,
          created_time: now,
        })
        .execute();
      return id;
    },

    /** A new code or link for a login id retires the earlier ones of that kind. */
    async retireActive(conn: Db, projectId: string, kind: SecretKind, loginId: string): Promise<void> {
      await conn
        .updateTable('one_time_secrets')
        .set({ consumed_time: nowSeconds() })
        .where('project_id', '=', projectId)
        .where('kind', '=', kind)
        .where('login_id', '=', normalizeLoginId(loginId))
        .where('consumed_time', 'is', null)
        .execute();
    },

    async findByToken(projectId: string, kinds: SecretKind[], token: string): Promise<SecretRow | undefined> {
      const row = await db
        .selectFrom('one_time_secrets')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('kind', 'in', kinds)
        .where('secret_hash', '=', hashSecret(projectId, token))
        .executeTakeFirst();
      return row && toRow(row);
    },

    async findById(projectId: string, id: string): Promise<SecretRow | undefined> {
      const row = await db
        .selectFrom('one_time_secrets')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toRow(row);
    },

    /** The newest live code for a login id. */
    async latestOtp(projectId: string, loginId: string): Promise<(SecretRow & { hash: string }) | undefined> {
      const row = await db
        .selectFrom('one_time_secrets')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('kind', '=', 'otp')
        .where('login_id', '=', normalizeLoginId(loginId))
        .where('consumed_time', 'is', null)
        .orderBy('created_time', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return row && { ...toRow(row), hash: row.secret_hash };
    },

    codeMatches(projectId: string, stored: string, code: string): boolean {
      return constantTimeEqual(stored, hashSecret(projectId, code));
    },

    /** Counts a wrong guess; answers the attempts so far. */
    async countAttempt(projectId: string, id: string): Promise<number> {
      await db
        .updateTable('one_time_secrets')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .execute();
      const row = await db
        .selectFrom('one_time_secrets')
        .select('attempts')
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row?.attempts ?? Number.MAX_SAFE_INTEGER;
    },

    /** Marks the secret used; false when it was already used or has expired (someone else won the race). */
    async consume(projectId: string, id: string): Promise<boolean> {
      const now = nowSeconds();
      const result = await db
        .updateTable('one_time_secrets')
        .set({ consumed_time: now })
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .where('consumed_time', 'is', null)
        .where('expires_time', '>', now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async setState(
      projectId: string,
      id: string,
      state: string,
      userId: string,
      payload?: SecretPayload,
    ): Promise<void> {
      await db
        .updateTable('one_time_secrets')
        .set({ state, user_id: userId, ...(payload ? { payload_json: JSON.stringify(payload) } : {}) })
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .execute();
    },

    /** Ends every secret of a pending enchanted-link session (a wrong link burns the whole attempt). */
    async retirePending(projectId: string, pendingId: string): Promise<void> {
      await db
        .updateTable('one_time_secrets')
        .set({ consumed_time: nowSeconds() })
        .where('project_id', '=', projectId)
        .where('consumed_time', 'is', null)
        .where((eb) => eb.or([eb('id', '=', pendingId), eb('group_id', '=', pendingId)]))
        .execute();
    },

    hashOf: hashSecret,
  };
}

export type SecretRepo = ReturnType<typeof createSecretRepo>;
