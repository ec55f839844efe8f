import { LatchkeyError } from '../../errors.ts';
import type { Project } from '../../projects/repo.ts';
import type { Db } from '../../store/db.ts';
import type { IssuedSession, SessionService } from '../../tokens/sessions.ts';
import type { UserRecord, UserRepo } from '../../users/repo.ts';
import { createSignedUpUser } from '../../users/signup.ts';
import { normalizeLoginId, nowSeconds } from '../../util.ts';
import { recordLogin } from '../login-history.ts';
import { burnVerify, hashPassword, needsRehash, verifyPassword } from './hashing.ts';
import { checkPasswordPolicy } from './policy.ts';

export type SignUpInput = {
  loginId: string;
  password: string;
  user?: {
    name?: string;
    displayName?: string;
    givenName?: string;
    middleName?: string;
    familyName?: string;
    email?: string;
    phone?: string;
  };
  customClaims?: Record<string, unknown>;
};

type Client = { ip: string };

const AMR = ['pwd'];

/** Password sign-up, sign-in, replace and update, written as pipelines of named checks. */
export function createPasswordService(deps: { db: Db; users: UserRepo; sessions: SessionService }) {
  const { db, users, sessions } = deps;

  const checkUserCanSignIn = (user: UserRecord) => {
    if (user.status === 'disabled') throw new LatchkeyError('userDisabled');
  };

  const checkNotLockedOut = (project: Project, user: UserRecord) => {
    const { lock, lockAttempts } = project.settings.password;
    if (lock && user.failedAttempts >= lockAttempts) {
      throw new LatchkeyError(
        'userLocked',
        'Too many failed sign-in attempts: the password must be reset by an administrator',
      );
    }
  };

  async function checkPasswordMatches(
    project: Project,
    user: UserRecord | undefined,
    password: string,
  ): Promise<UserRecord> {
    if (!user?.passwordHash) {
      await burnVerify(password);
      throw new LatchkeyError('invalidCredentials', 'Invalid signin credentials');
    }
    if (await verifyPassword(user.passwordHash, password)) {
      if (needsRehash(user.passwordHash)) await rehash(project, user, password);
      return user;
    }
    await users.incrementFailedAttempts(db, project.id, user.userId);
    throw new LatchkeyError('invalidCredentials', 'Invalid signin credentials');
  }

  /** Rehash-on-login: an imported hash becomes Argon2id; state and set time stay as they were. */
  async function rehash(project: Project, user: UserRecord, password: string): Promise<void> {
    await db
      .updateTable('users')
      .set({ password_hash: await hashPassword(password) })
      .where('project_id', '=', project.id)
      .where('id', '=', user.userId)
      .where('password_hash', '=', user.passwordHash)
      .execute();
  }

  const checkPasswordNotExpired = (project: Project, user: UserRecord) => {
    const { expiration, expirationWeeks } = project.settings.password;
    const aged =
      expiration &&
      user.passwordSetTime !== null &&
      user.passwordSetTime + expirationWeeks * 7 * 86_400 < nowSeconds();
    if (user.passwordState !== 'active' || aged) {
      throw new LatchkeyError('passwordExpired', 'Password expired: replace it to sign in');
    }
  };

  /** The shared front of sign-in and replace: the user may sign in, is not locked out, and the password matches. */
  async function authenticate(project: Project, loginId: string, password: string): Promise<UserRecord> {
    const found = await users.findByLoginId(db, project.id, loginId);
    if (found) {
      checkUserCanSignIn(found);
      checkNotLockedOut(project, found);
    }
    return checkPasswordMatches(project, found, password);
  }

  async function markSignedIn(project: Project, user: UserRecord, client: Client): Promise<UserRecord> {
    const status = user.status === 'invited' ? 'enabled' : user.status;
    if (user.failedAttempts !== 0 || status !== user.status) {
      await users.updateSignInState(db, project.id, user.userId, { failedAttempts: 0, status });
    }
    await recordLogin(db, { projectId: project.id, userId: user.userId, ip: client.ip, method: 'password' });
    return { ...user, status, failedAttempts: 0 };
  }

  async function setPassword(project: Project, user: UserRecord, password: string): Promise<void> {
    const hash = await hashPassword(password);
    await db
      .updateTable('users')
      .set({
        password_hash: hash,
        password_state: 'active',
        password_set_time: nowSeconds(),
        failed_attempts: 0,
        modified_time: nowSeconds(),
      })
      .where('project_id', '=', project.id)
      .where('id', '=', user.userId)
      .execute();
  }

  return {
    async signUp(project: Project, input: SignUpInput, client: Client): Promise<IssuedSession> {
      checkPasswordPolicy(project.settings.password, input.password);
      const passwordHash = await hashPassword(input.password);
      const user = await db.transaction().execute((tx) =>
        createSignedUpUser(tx, users, project, {
          loginId: input.loginId,
          profile: input.user,
          prepare: (record) => {
            record.passwordHash = passwordHash;
            record.passwordSetTime = record.createdTime;
          },
        }),
      );
      await recordLogin(db, {
        projectId: project.id,
        userId: user.userId,
        ip: client.ip,
        method: 'password',
      });
      return sessions.issue(project, user, { amr: AMR, firstSeen: true, customClaims: input.customClaims });
    },

    async signIn(
      project: Project,
      input: { loginId: string; password: string; customClaims?: Record<string, unknown> },
      client: Client,
    ): Promise<IssuedSession> {
      const user = await authenticate(project, input.loginId, input.password);
      checkPasswordNotExpired(project, user);
      const signedIn = await markSignedIn(project, user, client);
      return sessions.issue(project, signedIn, { amr: AMR, customClaims: input.customClaims });
    },

    async replace(
      project: Project,
      input: { loginId: string; oldPassword: string; newPassword: string },
      client: Client,
    ): Promise<IssuedSession> {
      const user = await authenticate(project, input.loginId, input.oldPassword);
      checkPasswordPolicy(project.settings.password, input.newPassword);
      await setPassword(project, user, input.newPassword);
      const signedIn = await markSignedIn(project, { ...user, passwordState: 'active' }, client);
      return sessions.issue(project, signedIn, { amr: AMR });
    },

    /** Authorized by the user's own refresh token: the login id must be one of that user's. */
    async update(
      project: Project,
      caller: UserRecord,
      input: { loginId: string; newPassword: string },
    ): Promise<void> {
      if (!caller.loginIds.includes(normalizeLoginId(input.loginId)) && caller.userId !== input.loginId) {
        throw new LatchkeyError('unauthorized', 'The refresh token does not belong to this login id');
      }
      checkPasswordPolicy(project.settings.password, input.newPassword);
      await setPassword(project, caller, input.newPassword);
    },
  };
}
