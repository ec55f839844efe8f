import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseAuthorization } from '../http/request-auth.ts';
import { type DerivedEvent, eventsFor } from './actions.ts';
import type { AuditLog } from './types.ts';

/** What a route may add to the event the HTTP layer records for it (e.g. a user id only the route knows). */
export type AuditDetails = Partial<
  Pick<DerivedEvent, 'action' | 'method' | 'userId' | 'loginIds' | 'tenants' | 'data'>
>;

declare module 'fastify' {
  interface FastifyRequest {
    /** set by a route to enrich (or rename) the audit event of this request; see src/audit/hooks.ts */
    audit: AuditDetails | null;
  }
}

type RequestScope = {
  req: FastifyRequest;
  explicit: boolean;
  deriving: boolean;
  /** the answer's object before serialization (NOT_SEEN until preSerialization saw one) */
  response: unknown;
};
const NOT_SEEN = Symbol('not seen');
/** The request being answered, wherever a route's code calls `ctx.audit.record` from. */
const scope = new AsyncLocalStorage<RequestScope>();

/**
 * Wraps an audit log so that an event a route records itself (`ctx.audit.record(...)` while answering a
 * request) is remembered: the central hook then records nothing more for that request (no duplicates). An
 * event recorded without `request` gets the current request's address and User-Agent.
 */
export function trackExplicit(audit: AuditLog): AuditLog {
  return {
    ...audit,
    record(event) {
      const current = scope.getStore();
      if (current && !current.deriving && event) {
        current.explicit = true;
        if (!event.request)
          event = { ...event, request: { ip: current.req.ip, headers: current.req.headers } };
      }
      return audit.record(event);
    },
  };
}

function cookieJwt(req: FastifyRequest): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if ((name === 'DSR' || name === 'DS') && value && value.split('.').length === 3) return value;
  }
  return undefined;
}

function parsed(payload: unknown): unknown {
  if (typeof payload !== 'string' || payload.length > 1_000_000) return undefined;
  try {
    return JSON.parse(payload);
  } catch {
    return undefined;
  }
}

/**
 * Records every authentication and management event in one place: when an answer is about to be sent, the
 * route (method + pattern), status and bodies are mapped to Descope-style actions (src/audit/actions.ts).
 * The events are queued before the answer leaves, so a search right after a login finds it.
 */
export function installAuditHooks(app: FastifyInstance, audit: AuditLog): void {
  app.decorateRequest('audit', null);
  // Everything that answers the request (hooks, handler, services) runs inside its scope.
  app.addHook('onRequest', (req, _reply, done) => {
    scope.run({ req, explicit: false, deriving: false, response: NOT_SEEN }, done);
  });
  // The answer object is kept so that a rule reading it does not parse the serialized JSON back.
  app.addHook('preSerialization', (_req, _reply, payload, done) => {
    const current = scope.getStore();
    if (current) current.response = payload;
    done(null, payload);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    const route = req.routeOptions.url;
    const current = scope.getStore();
    if (!route || current?.explicit) return payload;
    if (!route.startsWith('/v1/auth/') && !route.startsWith('/v1/mgmt/') && !route.startsWith('/v2/'))
      return payload;
    const auth = parseAuthorization(req.headers.authorization);
    if (!auth) return payload;
    const status = reply.statusCode;
    let response: unknown = current ? current.response : NOT_SEEN;
    // parsed only when something looks at the answer (reads and health checks never pay for it)
    const answer = () => {
      if (response === NOT_SEEN) response = parsed(payload);
      return response;
    };
    const errorCode = status >= 400 ? (answer() as { errorCode?: string } | undefined)?.errorCode : undefined;
    // The caller could not be tied to a project (or key): nothing trustworthy to record.
    if (errorCode === 'E011102' || errorCode === 'E011101' || errorCode === 'E011103') return payload;
    try {
      const finished = {
        method: req.method,
        route,
        params: (req.params ?? {}) as Record<string, string | undefined>,
        status,
        body: req.body,
        get response() {
          return answer();
        },
        jwts: [...auth.jwts, cookieJwt(req)].filter((j): j is string => !!j),
      };
      const events = eventsFor(finished);
      const extra = req.audit ?? {};
      if (current) current.deriving = true;
      for (const [i, e] of events.entries()) {
        const merged = i === 0 ? { ...e, ...extra, data: { ...e.data, ...extra.data } } : e;
        await audit.record({ ...merged, projectId: auth.projectId, request: req });
      }
    } catch (err) {
      req.log.warn({ err }, 'audit event could not be derived');
    }
    return payload;
  });
}
