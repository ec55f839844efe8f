import { z } from 'zod';
import { LatchkeyError } from '../errors.ts';
import type { RoutePlugin } from '../http/app.ts';
import { parseInput } from '../http/validate.ts';
import { parseJson } from '../util.ts';
import { DEVICES } from './device.ts';
import { type AuditRow, searchAuditRows } from './repo.ts';

/** Searches reach back this far (Descope: "the last 30 days"); an older `from` is moved up to it. */
const SEARCH_WINDOW_MS = 30 * 86_400_000;
const MAX_PAGE_SIZE = 1000;

const list = z.array(z.string().max(512)).max(1000).optional();
const searchBody = z.object({
  userIds: list,
  actions: list,
  excludedActions: list,
  // the Ruby SDK's spelling
  excludeActions: list,
  devices: z.array(z.enum(DEVICES)).max(10).optional(),
  methods: list,
  geos: list,
  remoteAddresses: list,
  externalIds: list,
  // our SDK and raw callers may use the SDK-level name
  loginIds: list,
  tenants: list,
  noTenants: z.boolean().optional(),
  text: z.string().max(256).optional(),
  from: z.number().finite().optional(),
  to: z.number().finite().optional(),
  size: z.number().int().min(0).max(MAX_PAGE_SIZE).optional(),
  page: z.number().int().min(0).max(1_000_000).optional(),
});

const eventBody = z.object({
  action: z.string().min(1).max(128),
  type: z.enum(['info', 'warn', 'error']),
  actorId: z.string().min(1).max(256),
  tenantId: z.string().min(1).max(256),
  userId: z.string().max(256).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

/** The raw wire record (reference §4.10): `occurred` is a string of epoch milliseconds, login ids are `externalIds`. */
const toWireAudit = (row: AuditRow) => ({
  projectId: row.project_id,
  userId: row.user_id,
  action: row.action,
  type: row.type,
  actorId: row.actor_id,
  occurred: String(row.occurred),
  device: row.device,
  method: row.method,
  geo: row.geo,
  remoteAddress: row.remote_address,
  externalIds: parseJson<string[]>(row.login_ids_json, []),
  tenants: parseJson<string[]>(row.tenants_json, []),
  data: parseJson<Record<string, unknown>>(row.data_json, {}),
});

const merge = (...lists: (string[] | undefined)[]) => {
  const all = lists.flatMap((l) => l ?? []);
  return all.length > 0 ? [...new Set(all)] : undefined;
};

/** Audit search and custom events (reference §3.11). */
export const auditRoutes: RoutePlugin = (app, { store, auth, audit }) => {
  app.post('/v1/mgmt/audit/search', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(searchBody, req.body);
    const now = Date.now();
    // The Go SDK sends unset times as large negative numbers: ≤ 0 means unset.
    const to = body.to !== undefined && body.to > 0 ? Math.min(body.to, now) : now;
    const from = Math.max(body.from !== undefined && body.from > 0 ? body.from : 0, now - SEARCH_WINDOW_MS);
    const given = (t?: number) => t !== undefined && t > 0;
    if (given(body.from) && given(body.to) && body.from! > body.to!)
      throw new LatchkeyError('invalidArguments', '`from` is after `to`');
    if (from > to) return { audits: [], total: 0 };
    // Events recorded a moment ago may still be queued: write them first so the search sees them.
    await audit.flush?.();
    const { rows, total } = await searchAuditRows(store.db, project.id, {
      userIds: body.userIds,
      actions: body.actions,
      excludedActions: merge(body.excludedActions, body.excludeActions),
      devices: body.devices,
      methods: body.methods,
      geos: body.geos?.map((g) => g.toUpperCase()),
      remoteAddresses: body.remoteAddresses,
      loginIds: merge(body.externalIds, body.loginIds),
      tenants: body.tenants,
      noTenants: body.noTenants,
      text: body.text,
      from,
      to,
      size: body.size || MAX_PAGE_SIZE,
      page: body.page ?? 0,
    });
    return { audits: rows.map(toWireAudit), total };
  });

  app.post('/v1/mgmt/audit/event', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(eventBody, req.body);
    await audit.record({
      projectId: project.id,
      action: body.action,
      type: body.type,
      actorId: body.actorId,
      userId: body.userId,
      tenants: [body.tenantId],
      data: body.data,
    });
    // A created event is durable when the call answers.
    await audit.flush?.();
    return {};
  });
};
