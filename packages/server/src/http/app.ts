import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
} from 'fastify';
import { installAuditHooks } from '../audit/hooks.ts';
import { ERROR_CODES, LatchkeyError } from '../errors.ts';
import type { AppContext } from './context.ts';
import type { RequestAuth } from './request-auth.ts';

export type RouteDeps = AppContext & { auth: RequestAuth };
export type RoutePlugin = (app: FastifyInstance, deps: RouteDeps) => void;

const sendError = (reply: FastifyReply, err: LatchkeyError) => {
  if (err.retryAfterSeconds !== undefined) reply.header('Retry-After', String(err.retryAfterSeconds));
  return reply.status(err.status).type('application/json').send(err.toBody());
};

/** Maps Fastify's own errors (body parsing, limits) to Descope-style 4xx bodies; anything else is a 500. */
function toLatchkeyError(err: FastifyError): LatchkeyError {
  if (err instanceof LatchkeyError) return err;
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new LatchkeyError('payloadTooLarge');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new LatchkeyError('badRequest', err.message);
  }
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) {
    return new LatchkeyError('badRequest', 'Request body is not valid JSON');
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new LatchkeyError('badRequest', err.message);
  }
  return new LatchkeyError('internal', ERROR_CODES.internal.description, { cause: err });
}

// No Descope request nests this deep; deeper bodies overflowed the stack of recursive walkers (dropEmpty): a 500.
const MAX_JSON_DEPTH = 128;
/** What makes input unusable everywhere: too deep, or a NUL character (PostgreSQL text refuses it: a 500). */
function inputProblem(root: unknown): string | undefined {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string' && value.includes('\u0000')) return 'holds a NUL character';
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return `nests deeper than ${MAX_JSON_DEPTH} levels`;
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\u0000')) return 'holds a NUL character';
      stack.push([child, depth + 1]);
    }
  }
  return undefined;
}

/**
 * The Fastify app, split from start-up so tests can build it around any store. Routes are plugins that
 * receive their dependencies; this file only wires parsing, errors and logging.
 */
export function buildApp(ctx: AppContext, auth: RequestAuth, plugins: RoutePlugin[]): FastifyInstance {
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimit,
    // Behind a load balancer, rate limits and login history need the real client address.
    trustProxy: ctx.config.trustProxy as FastifyServerOptions['trustProxy'],
    routerOptions: { ignoreDuplicateSlashes: true, ignoreTrailingSlash: true },
    return503OnClosing: true,
    // On close: stop accepting, drop idle keep-alive sockets, let in-flight requests finish.
    forceCloseConnections: 'idle',
  });

  // Go sends `Content-Type: application/json` with no body; Ruby sends `{}`; both mean "no arguments".
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'string', bodyLimit: ctx.config.bodyLimit },
    (_req, body, done) => {
      const text = (body as string).trim();
      if (text === '') return done(null, {});
      try {
        const parsed = JSON.parse(text);
        const problem = inputProblem(parsed);
        if (problem)
          return done(
            new LatchkeyError('badRequest', `Request body ${problem}`) as unknown as FastifyError,
            undefined,
          );
        done(null, parsed);
      } catch {
        done(
          new LatchkeyError('badRequest', 'Request body is not valid JSON') as unknown as FastifyError,
          undefined,
        );
      }
    },
  );

  app.addHook('preValidation', async (req) => {
    const problem = inputProblem([req.query, req.params]);
    if (problem) throw new LatchkeyError('badRequest', `Query or path ${problem}`);
  });

  // During shutdown, answers close their connection so in-flight keep-alive sockets do not hold the process open.
  app.addHook('onSend', async (_req, reply) => {
    if (ctx.lifecycle.closing) reply.header('connection', 'close');
  });

  app.setErrorHandler((error: FastifyError, req, reply) => {
    const err = toLatchkeyError(error);
    if (err.status >= 500) req.log.error({ err: error }, 'request failed');
    return sendError(reply, err);
  });
  app.setNotFoundHandler((req, reply) =>
    sendError(
      reply,
      new LatchkeyError('routeNotFound', `No route for ${req.method} ${req.url.split('?')[0]}`),
    ),
  );

  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routeList.push(`${method} ${route.url}`);
  });
  installAuditHooks(app, ctx.audit);
  const deps: RouteDeps = { ...ctx, auth };
  for (const plugin of plugins) plugin(app, deps);
  return app;
}

const routeList: string[] = [];
/** Every route registered in this process: the docs test checks each one is documented. */
export const registeredRoutes = (): readonly string[] => [...new Set(routeList)];

/** Sends a JWT response with its DS/DSR cookies (the Ruby SDK reads cookies on tenant select). */
export function sendSession(reply: FastifyReply, issued: { body: unknown; cookies: string[] }) {
  reply.header('set-cookie', issued.cookies);
  return reply.send(issued.body);
}
