import type { FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../http/app.ts';
import { parseAuthorization } from '../../http/request-auth.ts';
import type { RefreshContext } from '../../tokens/sessions.ts';
import { createSecretRepo } from './secrets.ts';
import { createPasswordlessService } from './service.ts';

/** One secret repo and passwordless service per app, shared by the OTP, magic-link and enchanted-link routes. */
const cache = new WeakMap<object, ReturnType<typeof build>>();

function build(deps: RouteDeps) {
  const secrets = createSecretRepo(deps.store.db);
  const service = createPasswordlessService({
    db: deps.store.db,
    users: deps.users,
    sessions: deps.sessions,
    secrets,
    delivery: deps.delivery,
  });
  return { secrets, service };
}

export function passwordless(deps: RouteDeps) {
  let built = cache.get(deps.store);
  if (!built) {
    built = build(deps);
    cache.set(deps.store, built);
  }
  return built;
}

/** `P:R?` calls: a refresh token is optional, but when one is sent it must be valid. */
export async function optionalRefresh(
  deps: RouteDeps,
  req: FastifyRequest,
): Promise<RefreshContext | undefined> {
  const parsed = parseAuthorization(req.headers.authorization);
  return parsed && parsed.jwts.length > 0 ? deps.auth.refresh(req) : undefined;
}
