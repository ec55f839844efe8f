import type { Project } from '../../projects/repo.ts';
import type { Db } from '../../store/db.ts';
import { linkWithToken, resolveRedirect } from './redirects.ts';
import { newLinkToken, newOtpCode, type SecretRepo } from './secrets.ts';
import type { PasswordlessService, Prepared } from './service.ts';

type Deps = { db: Db; secrets: SecretRepo; service: PasswordlessService; mode: 'development' | 'production' };

/** Issues a fresh code (earlier ones for the login id stop working) and sends it; answers the masked address. */
export async function issueCode(deps: Deps, project: Project, prepared: Prepared) {
  const { otpLength, otpExpirationSeconds } = project.settings.passwordless;
  const code = newOtpCode(otpLength);
  await deps.db.transaction().execute(async (tx) => {
    await deps.secrets.retireActive(tx, project.id, 'otp', prepared.loginId);
    await deps.secrets.create(tx, project.id, {
      kind: 'otp',
      secret: code,
      loginId: prepared.loginId,
      userId: prepared.userId,
      method: prepared.method,
      payload: prepared.payload,
      ttlSeconds: otpExpirationSeconds,
    });
  });
  const kind = prepared.payload.flow === 'reset' ? 'reset' : 'otp';
  return deps.service.send(project, prepared, kind, { code }, otpExpirationSeconds);
}

/** Issues a single-use link to the (allowed) redirect URL and sends it; answers the masked address. */
export async function issueLink(
  deps: Deps,
  project: Project,
  prepared: Prepared,
  requestedRedirect: string | undefined,
) {
  const redirect = resolveRedirect(project, requestedRedirect, deps.mode);
  const ttl = project.settings.passwordless.magicLinkExpirationSeconds;
  const token = newLinkToken();
  await deps.secrets.create(deps.db, project.id, {
    kind: 'magiclink',
    secret: token,
    loginId: prepared.loginId,
    userId: prepared.userId,
    method: prepared.method,
    payload: prepared.payload,
    ttlSeconds: ttl,
  });
  const kind = prepared.payload.flow === 'reset' ? 'reset' : 'magiclink';
  return deps.service.send(project, prepared, kind, { link: linkWithToken(redirect, token) }, ttl);
}
