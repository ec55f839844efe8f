import { z } from 'zod';
import { LatchkeyError } from '../../errors.ts';
import { type RoutePlugin, sendSession } from '../../http/app.ts';
import { parseInput } from '../../http/validate.ts';
import { type Method, methods, parseMethod } from '../passwordless/addresses.ts';
import { optionalRefresh, passwordless } from '../passwordless/context.ts';
import { issueLink } from '../passwordless/issue.ts';
import { startBody, updateAddressBody } from '../passwordless/schema.ts';
import type { StartFlow } from '../passwordless/service.ts';

const verifyBody = z.object({ token: z.string().min(10).max(512) });
// Magic links are not sent by voice.
const LINK_METHODS = methods.filter((m) => m !== 'voice');

/** Magic links over email, SMS and WhatsApp (reference §2.2); verify also redeems embedded-link tokens. */
export const magicLinkRoutes: RoutePlugin = (app, deps) => {
  const { auth, limits, config } = deps;
  const { secrets, service } = passwordless(deps);
  const issuing = { db: deps.store.db, secrets, service, mode: config.mode };

  for (const flow of ['signup', 'signin', 'signup-in'] as StartFlow[]) {
    app.post<{ Params: { method: string } }>(`/v1/auth/magiclink/${flow}/:method`, async (req) => {
      const project = await auth.project(req);
      const method = parseMethod(req.params.method, LINK_METHODS);
      const body = parseInput(startBody, req.body);
      await auth.checkCustomClaimsAllowed(req, body.loginOptions?.customClaims);
      await limits.enforce(project, 'send', { loginId: body.loginId, ip: req.ip });
      const caller = flow === 'signup' ? undefined : await optionalRefresh(deps, req);
      const prepared = await service.prepareStart(project, flow, method, body, caller);
      return issueLink(issuing, project, prepared, body.URI ?? body.redirectUrl);
    });
  }

  app.post('/v1/auth/magiclink/verify', async (req, reply) => {
    const project = await auth.project(req);
    const { token } = parseInput(verifyBody, req.body);
    await limits.enforce(project, 'verify', { ip: req.ip });
    const secret = await secrets.findByToken(project.id, ['magiclink', 'embedded'], token);
    if (!secret || !(await secrets.consume(project.id, secret.id))) throw new LatchkeyError('invalidLink');
    const amr = secret.kind === 'embedded' ? 'embedded' : service.amrFor(secret.method as Method);
    return sendSession(reply, await service.redeem(project, secret, { ip: req.ip }, amr));
  });

  const update = (path: string, method: Method | 'param') =>
    app.post<{ Params: { method?: string } }>(path, async (req) => {
      const caller = await auth.refresh(req);
      const m = method === 'param' ? parseMethod(req.params.method ?? '', ['sms', 'whatsapp']) : method;
      const body = parseInput(updateAddressBody, req.body);
      await limits.enforce(caller.project, 'send', { loginId: body.loginId, ip: req.ip });
      return issueLink(
        issuing,
        caller.project,
        service.prepareUpdate(caller, m, body),
        body.URI ?? body.redirectUrl,
      );
    });
  update('/v1/auth/magiclink/update/email', 'email');
  update('/v1/auth/magiclink/update/phone/:method', 'param');
  // Ruby posts here without a method suffix: served as SMS.
  update('/v1/auth/magiclink/update/phone', 'sms');
};
