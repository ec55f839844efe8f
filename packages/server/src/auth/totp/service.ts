import { LatchkeyError } from '../../errors.ts';
import type { RateLimits } from '../../limits/rate-limits.ts';
import type { Project } from '../../projects/repo.ts';
import type { Db } from '../../store/db.ts';
import {
  customClaimsOf,
  type IssuedSession,
  type IssueOptions,
  type RefreshContext,
  type SessionService,
} from '../../tokens/sessions.ts';
import type { UserRecord, UserRepo } from '../../users/repo.ts';
import { createSignedUpUser, type SignUpProfile } from '../../users/signup.ts';
import { normalizeLoginId, unique } from '../../util.ts';
import { recordLogin } from '../login-history.ts';
import { enrollment, matchStep, newTotpSecret, type TotpEnrollment } from './codes.ts';
import type { TotpRepo, TotpSeed } from './repo.ts';

type Client = { ip: string };

export type VerifyInput = {
  loginId: string;
  code: string;
  customClaims?: Record<string, unknown>;
  /** stepup / mfa: the session being raised, already authenticated by its refresh token */
  existing?: RefreshContext;
  /** `loginOptions.stepup`: the new session JWT is a step-up one (`su: true`, step-up lifetime) */
  stepup?: boolean;
};

const AMR = 'totp';
const WRONG_CODE = 'Wrong or expired code';

/** TOTP sign-up, verify (sign-in, step-up, MFA) and seed replacement, as pipelines of named checks. */
export function createTotpService(deps: {
  db: Db;
  users: UserRepo;
  totp: TotpRepo;
  sessions: SessionService;
  limits: RateLimits;
}) {
  const { db, users, totp, sessions, limits } = deps;

  const enroll = (project: Project, user: UserRecord, secret: string) =>
    enrollment(project.name, user.loginIds[0] ?? user.userId, secret);

  /** Unknown users, users without a seed, wrong, stale and replayed codes all look the same. */
  function checkCodeMatches(
    user: UserRecord | undefined,
    seed: TotpSeed | undefined,
    code: string,
  ): { user: UserRecord; seed: TotpSeed; step: number } {
    const step = seed ? matchStep(seed.secret, code, Date.now(), seed.lastStep) : null;
    if (!user || !seed || step === null) throw new LatchkeyError('wrongCode', WRONG_CODE);
    return { user, seed, step };
  }

  // After the code check, so only someone holding a valid code learns that the account is disabled.
  const checkUserCanSignIn = (user: UserRecord) => {
    if (user.status === 'disabled') throw new LatchkeyError('userDisabled');
  };

  const checkOwnsSession = (user: UserRecord | undefined, existing: RefreshContext | undefined) => {
    if (existing && existing.user.userId !== user?.userId) {
      throw new LatchkeyError('unauthorized', 'The refresh token does not belong to this login id');
    }
  };

  const checkOwnsLoginId = (caller: UserRecord, loginId: string) => {
    if (!caller.loginIds.includes(normalizeLoginId(loginId)) && caller.userId !== loginId) {
      throw new LatchkeyError('unauthorized', 'The refresh token does not belong to this login id');
    }
  };

  async function claimStep(project: Project, user: UserRecord, seed: TotpSeed, step: number): Promise<void> {
    if (!(await totp.claimStep(db, project.id, user.userId, seed.secret, step))) {
      throw new LatchkeyError('wrongCode', WRONG_CODE);
    }
  }

  /** A pending sign-up (`invited`) becomes `enabled` with its first good code. */
  async function markSignedIn(project: Project, user: UserRecord, client: Client): Promise<UserRecord> {
    const status = user.status === 'invited' ? 'enabled' : user.status;
    if (status !== user.status) await users.updateSignInState(db, project.id, user.userId, { status });
    await recordLogin(db, { projectId: project.id, userId: user.userId, ip: client.ip, method: 'totp' });
    return { ...user, status };
  }

  /** Step-up and MFA keep the session's factors, claims and tenant, and add `totp`. */
  function issueOptions(user: UserRecord, input: VerifyInput, firstSeen: boolean): IssueOptions {
    const payload = input.existing?.payload;
    if (!payload) return { amr: [AMR], firstSeen, customClaims: input.customClaims };
    const amr = Array.isArray(payload.amr) ? payload.amr.filter((a) => typeof a === 'string') : [];
    const dct = typeof payload.dct === 'string' ? payload.dct : undefined;
    return {
      amr: unique([...amr, AMR]),
      firstSeen,
      stepup: input.stepup === true,
      dct: dct && user.tenants.some((t) => t.tenantId === dct) ? dct : undefined,
      customClaims: { ...customClaimsOf(payload), ...input.customClaims },
    };
  }

  return {
    async signUp(
      project: Project,
      input: { loginId: string; user?: SignUpProfile },
      client: Client,
    ): Promise<TotpEnrollment> {
      await limits.enforce(project, 'signIn', { loginId: input.loginId, ip: client.ip });
      const secret = newTotpSecret();
      const user = await db.transaction().execute(async (tx) => {
        const record = await createSignedUpUser(tx, users, project, {
          loginId: input.loginId,
          profile: input.user,
          // Nobody has proven they hold the seed yet: pending until the first good code.
          prepare: (r) => {
            r.status = 'invited';
          },
        });
        await totp.setSeed(tx, project.id, record.userId, secret);
        return record;
      });
      return enroll(project, user, secret);
    },

    async verify(project: Project, input: VerifyInput, client: Client): Promise<IssuedSession> {
      await limits.enforce(project, 'verify', { loginId: input.loginId, ip: client.ip });
      const found = await users.findByLoginId(db, project.id, input.loginId);
      checkOwnsSession(found, input.existing);
      const stored = found && (await totp.seedOf(db, project.id, found.userId));
      const { user, seed, step } = checkCodeMatches(found, stored, input.code);
      checkUserCanSignIn(user);
      await claimStep(project, user, seed, step);
      const firstSeen = user.status === 'invited' && seed.lastStep === null;
      const signedIn = await markSignedIn(project, user, client);
      return sessions.issue(project, signedIn, issueOptions(signedIn, input, firstSeen));
    },

    /** Authorized by the user's own refresh token; the previous seed stops working at once. */
    async update(caller: RefreshContext, loginId: string): Promise<TotpEnrollment> {
      checkOwnsLoginId(caller.user, loginId);
      const secret = newTotpSecret();
      await totp.setSeed(db, caller.project.id, caller.user.userId, secret);
      return enroll(caller.project, caller.user, secret);
    },
  };
}

export type TotpService = ReturnType<typeof createTotpService>;
