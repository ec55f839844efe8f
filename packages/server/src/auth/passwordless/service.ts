import type { Delivery, MessageKind } from '../../delivery/types.ts';
import { LatchkeyError } from '../../errors.ts';
import type { Project } from '../../projects/repo.ts';
import type { Db } from '../../store/db.ts';
import {
  assertCustomClaims,
  type IssuedSession,
  type RefreshContext,
  type SessionService,
} from '../../tokens/sessions.ts';
import type { UserRecord, UserRepo } from '../../users/repo.ts';
import { createSignedUpUser } from '../../users/signup.ts';
import { isEmail, normalizeLoginId, nowSeconds, unique } from '../../util.ts';
import { recordLogin } from '../login-history.ts';
import { addressKind, checkAddress, type Method, masked } from './addresses.ts';
import type { LoginOptions, StartBody, UpdateAddressBody } from './schema.ts';
import type { SecretPayload, SecretRepo, SecretRow } from './secrets.ts';

export type StartFlow = 'signup' | 'signin' | 'signup-in';

/** Everything needed to send a code or link: who, where to, and what redeeming it will do. */
export type Prepared = {
  loginId: string;
  userId: string;
  method: Method;
  address: string;
  name: string;
  payload: SecretPayload;
  templateId?: string;
  templateOptions?: Record<string, string>;
};

type Client = { ip: string };

const AMR: Record<Method, string> = { email: 'email', sms: 'sms', voice: 'voice', whatsapp: 'whatsapp' };
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The shared core of OTP, magic link and enchanted link: deciding who signs in and where the message
 * goes (start), and what happens when the code or link comes back (redeem).
 */
export function createPasswordlessService(deps: {
  db: Db;
  users: UserRepo;
  sessions: SessionService;
  secrets: SecretRepo;
  delivery: Delivery;
}) {
  const { db, users, sessions } = deps;

  const checkUserCanSignIn = (user: UserRecord) => {
    if (user.status === 'disabled') throw new LatchkeyError('userDisabled');
  };

  /** Step-up and MFA build on a live session: the refresh token must belong to the same user. */
  function previousFactors(
    options: LoginOptions,
    caller: RefreshContext | undefined,
    userId: string,
  ): string[] | undefined {
    if (!options?.stepup && !options?.mfa) return undefined;
    if (!caller)
      throw new LatchkeyError('missingRefreshToken', 'Step-up and MFA need the current refresh token');
    if (caller.user.userId !== userId)
      throw new LatchkeyError('unauthorized', 'The refresh token belongs to another user');
    return Array.isArray(caller.payload.amr) ? (caller.payload.amr as string[]) : [];
  }

  function defaultAddress(
    method: Method,
    loginId: string,
    user?: { email?: string; phone?: string },
  ): string | undefined {
    if (method === 'email') return user?.email || (isEmail(loginId) ? normalizeLoginId(loginId) : undefined);
    return user?.phone || (E164.test(loginId) ? loginId : undefined);
  }

  async function prepareStart(
    project: Project,
    flow: StartFlow,
    method: Method,
    body: StartBody,
    caller?: RefreshContext,
  ): Promise<Prepared> {
    // Refused now rather than when the code comes back: nothing is sent for a request that cannot succeed.
    assertCustomClaims(body.loginOptions?.customClaims);
    const existing = await users.findByLoginId(db, project.id, body.loginId);
    const effective = flow === 'signup-in' ? (existing ? 'signin' : 'signup') : flow;
    const options = body.loginOptions;
    const common = {
      method,
      templateId: options?.templateId ?? body.templateId ?? body.template_id,
      templateOptions: { ...body.templateOptions, ...options?.templateOptions },
    };
    if (effective === 'signup') {
      if (existing) throw new LatchkeyError('userAlreadyExists', `User ${body.loginId} already exists`);
      const explicit = method === 'email' ? body.email : (body.phone ?? body.whatsapp);
      const address = checkAddress(method, explicit || defaultAddress(method, body.loginId, body.user));
      const profile = { ...body.user, name: body.user?.name ?? body.user?.displayName };
      if (method === 'email') profile.email = address;
      else profile.phone = address;
      return {
        ...common,
        loginId: body.loginId,
        userId: '',
        address,
        name: profile.name || body.loginId,
        payload: {
          flow: 'signup',
          newUser: profile,
          customClaims: options?.customClaims,
          verifies: addressKind(method),
        },
      };
    }
    if (!existing) throw new LatchkeyError('authUserNotFound', `User ${body.loginId} not found`);
    checkUserCanSignIn(existing);
    const address = checkAddress(method, defaultAddress(method, body.loginId, existing));
    return {
      ...common,
      loginId: body.loginId,
      userId: existing.userId,
      address,
      name: existing.name || body.loginId,
      payload: {
        flow: 'signin',
        customClaims: options?.customClaims,
        previousAmr: previousFactors(options, caller, existing.userId),
        ...(options?.stepup ? { stepup: true } : {}),
        verifies: addressKind(method),
      },
    };
  }

  /** Changing the caller's email or phone: the message goes to the new address, applied once it is proven. */
  function prepareUpdate(caller: RefreshContext, method: Method, body: UpdateAddressBody): Prepared {
    const user = caller.user;
    if (!user.loginIds.includes(normalizeLoginId(body.loginId)) && user.userId !== body.loginId) {
      throw new LatchkeyError('unauthorized', 'The refresh token does not belong to this login id');
    }
    const address = checkAddress(method, method === 'email' ? body.email : body.phone);
    return {
      method,
      loginId: user.loginIds[0] ?? body.loginId,
      userId: user.userId,
      address,
      name: user.name || body.loginId,
      templateId: body.templateId,
      templateOptions: body.templateOptions,
      payload: {
        flow: method === 'email' ? 'update-email' : 'update-phone',
        address,
        addToLoginIds: body.addToLoginIDs ?? body.addToLoginIds ?? false,
        onMergeUseExisting: body.onMergeUseExisting ?? false,
        previousAmr: Array.isArray(caller.payload.amr) ? (caller.payload.amr as string[]) : [],
        verifies: addressKind(method),
      },
    };
  }

  async function send(
    project: Project,
    prepared: Prepared,
    kind: MessageKind,
    vars: Record<string, unknown>,
    ttlSeconds: number,
  ) {
    await deps.delivery.send(project.id, project.settings.delivery, {
      channel: prepared.method,
      to: prepared.address,
      kind,
      templateId: prepared.templateId,
      // Request options may add template variables, never replace the server's code, link or name.
      vars: {
        templateOptions: prepared.templateOptions,
        ...vars,
        name: prepared.name,
        loginId: prepared.loginId,
        expiresInMinutes: Math.ceil(ttlSeconds / 60),
      },
    });
    return masked(prepared.method, prepared.address);
  }

  /** Applies a verified email/phone change. Answers the user the session is for. */
  async function applyUpdate(
    tx: Db,
    project: Project,
    user: UserRecord,
    payload: SecretPayload,
  ): Promise<UserRecord> {
    const address = payload.address!;
    const field = payload.flow === 'update-email' ? 'email' : 'phone';
    if (payload.addToLoginIds) {
      const ownerId = await users.resolveUserId(tx, project.id, address);
      if (ownerId && ownerId !== user.userId) {
        if (!payload.onMergeUseExisting)
          throw new LatchkeyError('loginIdInUse', `${address} is already the login id of another user`);
        const owner = await users.load(tx, project.id, ownerId);
        if (!owner) throw new LatchkeyError('authUserNotFound');
        return owner;
      }
      user.loginIds = unique([...user.loginIds, normalizeLoginId(address)]);
    }
    user[field] = field === 'email' ? normalizeLoginId(address) : address;
    if (field === 'email') user.verifiedEmail = true;
    else user.verifiedPhone = true;
    user.modifiedTime = nowSeconds();
    await users.save(tx, user, false);
    return user;
  }

  /**
   * Completes a redeemed code or link: creates the signed-up user, applies an address change, or signs in;
   * the address the message went to is now verified; then the session is issued.
   */
  async function redeem(
    project: Project,
    secret: SecretRow,
    client: Client,
    amrMethod: string,
    extraClaims?: Record<string, unknown>,
  ): Promise<IssuedSession> {
    const payload = secret.payload;
    let firstSeen = false;
    const user = await db.transaction().execute(async (tx) => {
      if (payload.flow === 'signup') {
        firstSeen = true;
        return createSignedUpUser(tx, users, project, {
          loginId: secret.loginId,
          profile: payload.newUser,
          verifiedEmail: payload.verifies === 'email' || payload.verifiedEmail === true,
          verifiedPhone: payload.verifies === 'phone' || payload.verifiedPhone === true,
        });
      }
      const current = await users.loadForUpdate(tx, project.id, secret.userId, false);
      if (!current) throw new LatchkeyError('authUserNotFound', 'The user no longer exists');
      checkUserCanSignIn(current);
      if (payload.flow === 'update-email' || payload.flow === 'update-phone')
        return applyUpdate(tx, project, current, payload);
      const verifiedField =
        payload.verifies === 'email'
          ? 'verifiedEmail'
          : payload.verifies === 'phone'
            ? 'verifiedPhone'
            : undefined;
      const needsSave = current.status === 'invited' || (verifiedField && !current[verifiedField]);
      if (needsSave) {
        if (current.status === 'invited') current.status = 'enabled';
        if (verifiedField) current[verifiedField] = true;
        current.modifiedTime = nowSeconds();
        // only these fields changed: the user's login ids, roles and tenants are not rewritten
        const { status, verifiedEmail, verifiedPhone, modifiedTime } = current;
        await users.updateSignInState(tx, project.id, current.userId, {
          status,
          verifiedEmail,
          verifiedPhone,
          modifiedTime,
        });
      }
      return current;
    });
    await recordLogin(db, { projectId: project.id, userId: user.userId, ip: client.ip, method: amrMethod });
    const amr = unique([...(payload.previousAmr ?? []), amrMethod]);
    return sessions.issue(project, user, {
      amr,
      firstSeen,
      customClaims: { ...payload.customClaims, ...extraClaims },
      stepup: payload.stepup === true,
    });
  }

  return { prepareStart, prepareUpdate, send, redeem, amrFor: (method: Method) => AMR[method] };
}

export type PasswordlessService = ReturnType<typeof createPasswordlessService>;
