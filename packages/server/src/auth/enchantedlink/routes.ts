import { z } from 'zod';
import { LatchkeyError } from '../../errors.ts';
import { type RoutePlugin, sendSession } from '../../http/app.ts';
import { parseInput } from '../../http/validate.ts';
import type { Project } from '../../projects/repo.ts';
import { nowSeconds } from '../../util.ts';
import { optionalRefresh, passwordless } from '../passwordless/context.ts';
import { resolveRedirect } from '../passwordless/redirects.ts';
import { startBody, updateAddressBody } from '../passwordless/schema.ts';
import type { Prepared, StartFlow } from '../passwordless/service.ts';
import { createEnchantedLinks, shuffle } from './links.ts';

const verifyBody = z.object({ token: z.string().min(10).max(512) });
const pendingBody = z.object({ pendingRef: z.string().min(10).max(512) });

/**
 * Enchanted links (reference §2.3): the email holds three links; only the one numbered like the screen
 * signs in; a wrong one ends the attempt. The session goes to whoever polls with the pendingRef.
 */
export const enchantedLinkRoutes: RoutePlugin = (app, deps) => {
  const { auth, limits, config, store } = deps;
  const { secrets, service } = passwordless(deps);

  async function start(project: Project, prepared: Prepared, requestedRedirect: string | undefined) {
    const redirect = resolveRedirect(project, requestedRedirect, config.mode);
    const { pendingRef, linkId, links, ttl } = await createEnchantedLinks(
      store.db,
      secrets,
      project,
      prepared,
      redirect,
      3,
    );
    // The links are sent in a shuffled order so the position gives nothing away.
    const shuffled = shuffle(links);
    const masked = await service.send(project, prepared, 'enchantedlink', { linkId, links: shuffled }, ttl);
    return { linkId, pendingRef, ...masked };
  }

  for (const flow of ['signup', 'signin', 'signup-in'] as StartFlow[]) {
    app.post(`/v1/auth/enchantedlink/${flow}/email`, async (req) => {
      const project = await auth.project(req);
      const body = parseInput(startBody, req.body);
      await auth.checkCustomClaimsAllowed(req, body.loginOptions?.customClaims);
      await limits.enforce(project, 'send', { loginId: body.loginId, ip: req.ip });
      const caller = flow === 'signup' ? undefined : await optionalRefresh(deps, req);
      return start(
        project,
        await service.prepareStart(project, flow, 'email', body, caller),
        body.URI ?? body.redirectUrl,
      );
    });
  }

  app.post('/v1/auth/enchantedlink/update/email', async (req) => {
    const caller = await auth.refresh(req);
    const body = parseInput(updateAddressBody, req.body);
    await limits.enforce(caller.project, 'send', { loginId: body.loginId, ip: req.ip });
    return start(caller.project, service.prepareUpdate(caller, 'email', body), body.URI ?? body.redirectUrl);
  });

  app.post('/v1/auth/enchantedlink/verify', async (req) => {
    const project = await auth.project(req);
    const { token } = parseInput(verifyBody, req.body);
    await limits.enforce(project, 'verify', { ip: req.ip });
    const link = await secrets.findByToken(project.id, ['enchanted-link'], token);
    if (!link || !(await secrets.consume(project.id, link.id))) throw new LatchkeyError('invalidLink');
    const pending = await secrets.findById(project.id, link.groupId);
    if (
      !pending ||
      pending.consumedTime !== null ||
      pending.expiresTime <= nowSeconds() ||
      pending.state !== ''
    ) {
      throw new LatchkeyError('invalidLink');
    }
    if (!link.payload.correct) {
      await secrets.retirePending(project.id, pending.id);
      throw new LatchkeyError(
        'invalidLink',
        'That was not the link with the number shown on your screen; start again',
      );
    }
    await secrets.setState(project.id, pending.id, 'verified', pending.userId);
    return {};
  });

  app.post('/v1/auth/enchantedlink/pending-session', async (req, reply) => {
    const project = await auth.project(req);
    const { pendingRef } = parseInput(pendingBody, req.body);
    const pending = await secrets.findByToken(project.id, ['enchanted-pending'], pendingRef);
    if (pending?.state !== 'verified' || !(await secrets.consume(project.id, pending.id))) {
      throw new LatchkeyError('enchantedLinkPending');
    }
    return sendSession(reply, await service.redeem(project, pending, { ip: req.ip }, 'email'));
  });
};
