import { randomInt } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { LatchkeyError } from '../errors.ts';
import type { RoutePlugin } from '../http/app.ts';
import { parseInput } from '../http/validate.ts';
import { projectSettingsSchema } from '../projects/settings.ts';
import { randomBase62 } from '../util.ts';
import { outboxPage } from './outbox-page.ts';
import {
  applyDeliveryChange,
  type DeliverySettings,
  deliverySettingsSchema,
  isOutboxEnabled,
  maskDeliverySettings,
  readDeliverySettings,
} from './settings.ts';
import { CHANNELS, MESSAGE_KINDS, type MessageVars } from './types.ts';

const outboxQuery = z.object({
  to: z.string().max(320).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const testBody = z.object({
  channel: z.enum(CHANNELS),
  to: z.string().max(320),
  kind: z.enum(MESSAGE_KINDS).default('otp'),
  templateId: z.string().max(64).optional(),
  vars: z
    .record(z.string(), z.union([z.string().max(2000), z.number(), z.array(z.string().max(2000)).max(10)]))
    .optional(),
  templateOptions: z.record(z.string(), z.union([z.string().max(2000), z.number(), z.boolean()])).optional(),
});

const NOT_FOUND = () => new LatchkeyError('routeNotFound', 'No outbox here');

/** Delivery settings, a test send, and the dev outbox (JSON for tools and tests, HTML for a developer). */
export const deliveryRoutes: RoutePlugin = (app, { auth, projects, delivery, config, publicUrl }) => {
  const answer = (settings: DeliverySettings) => ({
    ...maskDeliverySettings(settings),
    mode: config.mode,
    outboxActive: isOutboxEnabled(settings, config.mode),
  });

  app.addHook('onClose', async () => delivery.close());

  app.get('/v1/mgmt/delivery/settings', async (req) => {
    const project = await auth.management(req);
    return answer(readDeliverySettings(project.settings.delivery));
  });

  app.post('/v1/mgmt/delivery/settings', async (req) => {
    const cached = await auth.management(req);
    // Read-modify-write on the stored row, not the request cache (another instance may have written since).
    const project = (await projects.get(cached.id)) ?? cached;
    const stored = readStoredOrDefault(project.settings.delivery);
    const next = parseInput(deliverySettingsSchema, applyDeliveryChange(stored, req.body));
    // `{}` (Go's "no arguments") changes nothing, so it writes nothing either.
    if (isDeepStrictEqual(next, stored)) return answer(next);
    await projects.updateSettings(
      project.id,
      projectSettingsSchema.parse({ ...project.settings, delivery: next }),
    );
    auth.invalidateProject(project.id);
    return answer(next);
  });

  app.post('/v1/mgmt/delivery/test', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(testBody, req.body);
    const base = publicUrl();
    const link = `${base}/delivery-test?t=${randomBase62(16)}`;
    const vars: MessageVars = {
      code: String(randomInt(100_000, 1_000_000)),
      link,
      links: [1, 2, 3].map((n) => `${link}&n=${n + 10}`),
      linkId: '12',
      loginId: body.to,
      name: 'Latchkey test',
      expiresInMinutes: 5,
      ...body.vars,
      templateOptions: body.templateOptions,
    };
    const result = await delivery.send(project.id, project.settings.delivery, {
      channel: body.channel,
      to: body.to,
      kind: body.kind,
      vars,
      templateId: body.templateId,
    });
    return { channel: body.channel, to: body.to, kind: body.kind, provider: result.provider };
  });

  app.get('/v1/mgmt/outbox', async (req) => {
    const project = await auth.management(req);
    const query = parseInput(outboxQuery, req.query);
    return { messages: await delivery.outbox.list(project.id, { recipient: query.to, limit: query.limit }) };
  });

  app.delete('/v1/mgmt/outbox', async (req) => {
    const project = await auth.management(req);
    return { deleted: await delivery.outbox.clear(project.id) };
  });

  /**
   * In development mode a developer opens this in a browser, no key. Anywhere else it needs the management
   * key of that very project first (so nothing is learned without it), then an enabled outbox.
   */
  app.get<{ Params: { projectId: string }; Querystring: { to?: string } }>(
    '/outbox/:projectId',
    async (req, reply) => {
      const { projectId } = req.params;
      if (config.mode !== 'development') {
        const authorized = await auth.management(req);
        if (authorized.id !== projectId)
          throw new LatchkeyError('invalidManagementKey', 'The management key is for another project');
      }
      const project = await projects.get(projectId);
      if (!project) throw NOT_FOUND();
      let enabled: boolean;
      try {
        enabled = isOutboxEnabled(readDeliverySettings(project.settings.delivery), config.mode);
      } catch {
        enabled = false;
      }
      if (!enabled) throw NOT_FOUND();
      const to = typeof req.query.to === 'string' && req.query.to ? req.query.to.slice(0, 320) : undefined;
      const messages = await delivery.outbox.list(project.id, { recipient: to, limit: 100 });
      return reply
        .header(
          'content-security-policy',
          "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        )
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(outboxPage(project.id, messages, to));
    },
  );
};

/** A project whose stored settings were edited by hand can still be repaired through the API. */
function readStoredOrDefault(raw: Record<string, unknown>): DeliverySettings {
  try {
    return readDeliverySettings(raw);
  } catch {
    return deliverySettingsSchema.parse({});
  }
}
