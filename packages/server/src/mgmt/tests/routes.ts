import { z } from 'zod';
import { createEnchantedLinks } from '../../auth/enchantedlink/links.ts';
import { methods } from '../../auth/passwordless/addresses.ts';
import { passwordless } from '../../auth/passwordless/context.ts';
import { linkWithToken, resolveRedirect } from '../../auth/passwordless/redirects.ts';
import { loginOptions, userIn } from '../../auth/passwordless/schema.ts';
import { newLinkToken, newOtpCode, type SecretPayload } from '../../auth/passwordless/secrets.ts';
import type { Prepared } from '../../auth/passwordless/service.ts';
import { LatchkeyError } from '../../errors.ts';
import type { RoutePlugin } from '../../http/app.ts';
import { parseInput } from '../../http/validate.ts';
import type { Project } from '../../projects/repo.ts';
import { assertCustomClaims } from '../../tokens/sessions.ts';
import type { UserRecord } from '../../users/repo.ts';

const loginId = z.string().min(1).max(320);
// Node and Go also accept "Embedded": a code that no message carries.
const deliveryMethod = z
  .string()
  .transform((v) => v.toLowerCase())
  .pipe(z.enum([...methods, 'embedded']));
const otpBody = z.object({ loginId, deliveryMethod, loginOptions });
const magicLinkBody = z.object({
  loginId,
  deliveryMethod: deliveryMethod.optional(),
  URI: z.string().optional(),
  redirectUrl: z.string().optional(),
  loginOptions,
});
const enchantedBody = z.object({
  loginId,
  URI: z.string().optional(),
  redirectUrl: z.string().optional(),
  loginOptions,
});
const timeout = z.number().int().min(1).max(86_400).optional();
const embeddedSignIn = z.object({
  loginId,
  customClaims: z.record(z.string(), z.unknown()).optional(),
  timeout,
});
const embeddedSignUp = z.object({
  loginId,
  user: userIn,
  emailVerified: z.boolean().optional(),
  phoneVerified: z.boolean().optional(),
  loginOptions,
  timeout,
});

const EMBEDDED_DEFAULT_SECONDS = 60;

/**
 * Test-user utilities (reference §3.3): codes and links for test users without sending anything, redeemed
 * by the normal verify calls exactly once; and embedded links, sign-in or sign-up tokens for any login id.
 */
export const testUtilityRoutes: RoutePlugin = (app, deps) => {
  const { auth, store, users, config } = deps;
  const { secrets } = passwordless(deps);

  async function testUser(project: Project, id: string): Promise<UserRecord> {
    const user = await users.findByLoginId(store.db, project.id, id);
    if (!user) throw new LatchkeyError('managementUserNotFound', `User ${id} not found`);
    if (!user.test)
      throw new LatchkeyError('invalidArguments', 'Codes and links can be generated for test users only');
    return user;
  }

  const prepared = (user: UserRecord, id: string, method: string, payload: SecretPayload): Prepared => ({
    loginId: id,
    userId: user.userId,
    method: method === 'embedded' ? 'email' : (method as Prepared['method']),
    address: '',
    name: user.name,
    payload,
  });

  app.post('/v1/mgmt/tests/generate/otp', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(otpBody, req.body);
    const user = await testUser(project, body.loginId);
    assertCustomClaims(body.loginOptions?.customClaims);
    const code = newOtpCode(project.settings.passwordless.otpLength);
    await store.db.transaction().execute(async (tx) => {
      await secrets.retireActive(tx, project.id, 'otp', body.loginId);
      await secrets.create(tx, project.id, {
        kind: 'otp',
        secret: code,
        loginId: body.loginId,
        userId: user.userId,
        method: body.deliveryMethod,
        payload: { flow: 'signin', customClaims: body.loginOptions?.customClaims },
        ttlSeconds: project.settings.passwordless.otpExpirationSeconds,
      });
    });
    return { loginId: body.loginId, code };
  });

  app.post('/v1/mgmt/tests/generate/magiclink', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(magicLinkBody, req.body);
    const user = await testUser(project, body.loginId);
    assertCustomClaims(body.loginOptions?.customClaims);
    const redirect = resolveRedirect(project, body.URI ?? body.redirectUrl, config.mode);
    const token = newLinkToken();
    await secrets.create(store.db, project.id, {
      kind: 'magiclink',
      secret: token,
      loginId: body.loginId,
      userId: user.userId,
      method: body.deliveryMethod === 'embedded' || !body.deliveryMethod ? 'email' : body.deliveryMethod,
      payload: { flow: 'signin', customClaims: body.loginOptions?.customClaims },
      ttlSeconds: project.settings.passwordless.magicLinkExpirationSeconds,
    });
    return { loginId: body.loginId, link: linkWithToken(redirect, token) };
  });

  app.post('/v1/mgmt/tests/generate/enchantedlink', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(enchantedBody, req.body);
    const user = await testUser(project, body.loginId);
    assertCustomClaims(body.loginOptions?.customClaims);
    const redirect = resolveRedirect(project, body.URI ?? body.redirectUrl, config.mode);
    const payload: SecretPayload = { flow: 'signin', customClaims: body.loginOptions?.customClaims };
    const { links, pendingRef } = await createEnchantedLinks(
      store.db,
      secrets,
      project,
      prepared(user, body.loginId, 'email', payload),
      redirect,
      1,
    );
    return { loginId: body.loginId, link: links[0], pendingRef };
  });

  app.post('/v1/mgmt/user/signin/embeddedlink', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(embeddedSignIn, req.body);
    assertCustomClaims(body.customClaims);
    const user = await users.findByLoginId(store.db, project.id, body.loginId);
    if (!user) throw new LatchkeyError('managementUserNotFound', `User ${body.loginId} not found`);
    const token = newLinkToken();
    await secrets.create(store.db, project.id, {
      kind: 'embedded',
      secret: token,
      loginId: body.loginId,
      userId: user.userId,
      method: 'embedded',
      payload: { flow: 'signin', customClaims: body.customClaims },
      ttlSeconds: body.timeout ?? EMBEDDED_DEFAULT_SECONDS,
    });
    return { token };
  });

  app.post('/v1/mgmt/user/signup/embeddedlink', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(embeddedSignUp, req.body);
    assertCustomClaims(body.loginOptions?.customClaims);
    if (await users.loginIdTaken(store.db, project.id, body.loginId)) {
      throw new LatchkeyError('managementUserExists', `User ${body.loginId} already exists`);
    }
    const token = newLinkToken();
    await secrets.create(store.db, project.id, {
      kind: 'embedded',
      secret: token,
      loginId: body.loginId,
      userId: '',
      method: 'embedded',
      payload: {
        flow: 'signup',
        newUser: { ...body.user, name: body.user?.name ?? body.user?.displayName },
        customClaims: body.loginOptions?.customClaims,
        verifiedEmail: body.emailVerified,
        verifiedPhone: body.phoneVerified,
      },
      ttlSeconds: body.timeout ?? EMBEDDED_DEFAULT_SECONDS,
    });
    return { token };
  });
};
