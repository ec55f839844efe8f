import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ERROR_CODES } from '../src/errors.ts';
import { registeredRoutes } from '../src/http/app.ts';
import { call, STORES, startTestServer, type TestServer } from './support/server.ts';
import {
  deepObject,
  type Field,
  fieldsFromError,
  harvestFieldNames,
  plausible,
  requiredFromError,
  snapshotTables,
  wrongTypes,
} from './support/sweep.ts';

/**
 * Issue 4 item 10: every registered route answers malformed input with a clear 4xx Descope error body and
 * changes nothing. The battery is generic: it learns each route's fields and their types from the route's
 * own validation error, then sends values of the wrong type, oversized strings and negative numbers.
 */

/** Routes that legitimately ignore any input: the battery has nothing to send them. */
const SKIPPED: Record<string, string> = {
  'GET /healthz': 'liveness probe, no input',
  'GET /readyz': 'readiness probe, no input',
  'POST /v1/mgmt/project/delete': 'takes no arguments and deletes the project (test/project covers it)',
  'DELETE /v1/mgmt/user/test/delete/all': 'takes no arguments (deletes test users; there are none here)',
  'DELETE /v1/mgmt/outbox': 'takes no arguments (clears the dev outbox)',
  'GET /v1/mgmt/license': 'no query parameters',
  'GET /v1/mgmt/password/settings': 'no query parameters',
  'GET /v1/mgmt/project/settings': 'no query parameters',
  'GET /v1/mgmt/delivery/settings': 'no query parameters',
  'GET /v1/mgmt/permission/all': 'no query parameters',
  'GET /v1/mgmt/role/all': 'no query parameters',
  'GET /v1/mgmt/tenant/all': 'no query parameters',
  'GET /v1/auth/password/policy': 'no query parameters',
  'GET /v1/mgmt/user/customattributes': 'no query parameters',
  'GET /v1/mgmt/tenant/customattributes': 'no query parameters',
  'GET /v2/keys/:projectId': 'public JWKS: no query, the path names the project (an unknown one has no keys)',
  'GET /outbox/:projectId':
    "the dev outbox as an HTML page for a developer's browser (/v1/mgmt/outbox is swept)",
  'POST /v1/mgmt/authz/schema/delete': 'takes no arguments (deletes the schema)',
  'POST /v1/mgmt/authz/schema/load': 'takes no arguments',
  'POST /v1/mgmt/theme/export': 'takes no arguments',
  'POST /v2/mgmt/theme/export': 'takes no arguments',
};

/** Routes whose one field is an opaque document (any object is one): their fields are named, not probed. */
const FIELD_HINTS: Record<string, Field[]> = {
  'POST /v1/mgmt/theme/import': [{ name: 'theme', type: 'object' }],
  'POST /v2/mgmt/theme/import': [{ name: 'theme', type: 'object' }],
};

/**
 * Read-only calls where a value of the right type that is merely odd (an oversized filter, a time range
 * starting before 1970) matches nothing or is ignored: a 200 there is correct, and the snapshot still holds.
 */
const TOLERATED: Record<string, string> = {
  'POST /v1/mgmt/tenant/search parentTenantId': 'filter matches no tenant',
  'POST /v1/mgmt/user/search loginId': 'filter matches no user',
  'POST /v2/mgmt/user/search loginId': 'filter matches no user',
  'POST /v2/mgmt/user/search/test loginId': 'filter matches no user',
  'POST /v1/mgmt/role/search roleNameLike': 'filter matches no role',
  'POST /v1/mgmt/accesskey/search boundUserId': 'filter matches no key',
  'POST /v1/mgmt/accesskey/search creatingUser': 'filter matches no key',
  'POST /v1/mgmt/audit/search from': 'a time range reaching before 1970 or far ahead is still a range',
  'POST /v1/mgmt/audit/search to': 'a time range reaching before 1970 or far ahead is still a range',
  'POST /v1/mgmt/authz/re/resource resources':
    'one resource id or a list (Ruby); unknown ids have no relations',
  'POST /v1/mgmt/project/snapshot/export format': 'the format is informational (one format exists)',
  'POST /v1/mgmt/project/export format': 'the format is informational (one format exists)',
  'GET /v1/mgmt/outbox to': 'recipient filter of the dev outbox matches no message',
  'POST /v1/mgmt/user/create/batch users':
    'batches report each refused user in failedUsers with a 200 (Descope)',
  'PATCH /v1/mgmt/user/patch/batch users':
    'batches report each refused user in failedUsers with a 200 (Descope)',
};

/** Routes where `{}` is a complete, valid call that acts: the `null` / `{}` cases are not sent to them. */
const ACTS_ON_EMPTY: Record<string, string> = {
  'POST /v1/auth/tenant/select': 'no tenant clears the selection and issues a new session',
};

/** Path parameters: a value the route knows, so the request reaches its body (`:projectId` is the project's). */
const PATH_PARAMS: Record<string, string> = { method: 'email' };
/**
 * Auth routes that act on the signed-in user: called with a live refresh token so the battery reaches their
 * body. (logout, logoutall and refresh take nothing but the token: they are called with the project id only.)
 */
const SIGNED_IN = /\/update\b|\/tenant\/select$/;

const KNOWN_CODES = new Set<string>(Object.values(ERROR_CODES).map((e) => e.code));
const PROBE = { 'sweep-probe': 1 };
const ONE_MB = 'x'.repeat(1_000_000);

type Failure = { route: string; case: string; status: number; body: unknown };

for (const store of STORES) {
  describe(`bad-input sweep over every route (${store})`, () => {
    let s: TestServer;
    const failures: Failure[] = [];
    let before1: Awaited<ReturnType<typeof snapshotTables>>;
    before(async () => {
      s = await startTestServer(store);
      // Objects named as the plausible bodies name them, so those bodies reach past "not found" into the rules.
      for (const [path, body] of [
        ['/v1/mgmt/permission/create', { name: 'sweep-x' }],
        ['/v1/mgmt/role/create', { name: 'sweep-x', permissionNames: ['sweep-x'] }],
        ['/v1/mgmt/tenant/create', { id: 'sweep-x', name: 'sweep-x' }],
        [
          '/v1/mgmt/user/create',
          { loginId: 'sweep-x', email: 'sweep@example.com', userTenants: [{ tenantId: 'sweep-x' }] },
        ],
        ['/v1/mgmt/user/customattribute/create', { attributes: [{ name: 'sweep-x', type: 'text' }] }],
        // Rate limits would answer 429 before the validation the sweep is after.
        ['/v1/mgmt/project/settings', { rateLimits: { enabled: false } }],
        // Flows and the theme are seeded on the first management call that touches them, whatever its input.
        ['/v1/mgmt/flow/list', {}],
      ] as const) {
        const res = await call(s, 'POST', path, { auth: s.management, body });
        assert.equal(res.status, 200, `${path} ${JSON.stringify(res.body)}`);
      }
      const signup = await call<{ refreshJwt: string }>(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId: 'sweep-auth@example.com', password: 'Sweep-Passw0rd!' },
      });
      assert.equal(signup.status, 200, JSON.stringify(signup.body));
      refreshAuth = `${s.project}:${signup.body.refreshJwt}`;
      before1 = await snapshotTables(s.server.store.db);
    });
    after(() => s.close());

    const names = harvestFieldNames();
    let sent = 0;
    let refreshAuth = '';

    const send = async (
      route: string,
      label: string,
      init: { body?: unknown; rawBody?: string; query?: string },
    ) => {
      sent++;
      const [method, url] = route.split(' ') as [string, string];
      const auth = /^\/v\d\/mgmt\//.test(url) ? s.management : SIGNED_IN.test(url) ? refreshAuth : s.project;
      const path = url.replace(/:(\w+)/g, (_, param: string) => PATH_PARAMS[param] ?? s.projectId);
      const res = await call(s, method, `${path}${init.query ?? ''}`, {
        auth,
        ...(init.rawBody !== undefined ? { rawBody: init.rawBody } : {}),
        ...(init.body !== undefined ? { body: init.body } : {}),
      }).catch((err: Error) => ({
        status: 0,
        body: { error: err.message } as Record<string, unknown>,
        headers: new Headers(),
      }));
      // SWEEP_DEBUG=<route regex>: snapshot after every request to name the one that changed something.
      if (process.env.SWEEP_DEBUG && new RegExp(process.env.SWEEP_DEBUG).test(route)) {
        const now = await snapshotTables(s.server.store.db);
        if (JSON.stringify(now) !== JSON.stringify(before1)) {
          console.log('CHANGED by', route, label, res.status, JSON.stringify(res.body).slice(0, 200));
          before1 = now;
        }
      }
      return { res, label };
    };

    const expect4xx = (
      route: string,
      label: string,
      res: { status: number; body: Record<string, unknown> },
    ) => {
      const b = res.body ?? {};
      const shaped =
        typeof b.errorCode === 'string' &&
        KNOWN_CODES.has(b.errorCode) &&
        typeof b.errorDescription === 'string' &&
        typeof b.errorMessage === 'string';
      if (res.status < 400 || res.status >= 500 || !shaped)
        failures.push({ route, case: label, status: res.status, body: JSON.stringify(b).slice(0, 300) });
    };
    const expectNo5xx = (
      route: string,
      label: string,
      res: { status: number; body: Record<string, unknown> },
    ) => {
      if (res.status >= 400 || res.status === 0) expect4xx(route, label, res);
    };

    test('every route answers malformed input with a 4xx Descope error body', async (t) => {
      for (const listed of [...Object.keys(SKIPPED), ...Object.keys(FIELD_HINTS)])
        assert.ok(registeredRoutes().includes(listed), `${listed} is listed here but no longer registered`);
      const routes = registeredRoutes().filter((r) => !(r in SKIPPED));
      assert.ok(routes.length > 100, `only ${routes.length} routes registered`);
      for (const route of routes) {
        const isGet = route.startsWith('GET ');
        if (isGet) {
          // Query strings: a repeated parameter is an array, an empty one a string; every field at once.
          const all = names.map((n) => `${n}=a&${n}=b`).join('&');
          const probe = await send(route, 'every query field repeated', { query: `?${all}` });
          expect4xx(route, probe.label, probe.res);
          // then each field the route named alone: oversized (within the header limit), negative, enum-like junk
          for (const f of fieldsFromError(String(probe.res.body?.errorMessage ?? '')))
            for (const v of ['x'.repeat(8000), '-1', '1e300', '%00', 'no-such-option']) {
              const label = `?${f.name}=${v.slice(0, 10)}`;
              const { res } = await send(route, label, { query: `?${f.name}=${v}` });
              if (`${route} ${f.name}` in TOLERATED) expectNo5xx(route, label, res);
              else expect4xx(route, label, res);
            }
          continue;
        }
        for (const [label, init] of [
          ['non-JSON body', { rawBody: '{"not json' }],
          ['JSON array', { body: [{}] }],
          ['JSON string', { body: 'sweep' }],
          ['JSON number', { body: -1 }],
          ['NUL in a key', { body: { 'sweep\u0000': 'x' } }],
          ['deep JSON', { rawBody: `${'['.repeat(5000)}${']'.repeat(5000)}` }],
        ] as const) {
          const { res } = await send(route, label, init);
          expect4xx(route, label, res);
        }
        // `null` and `{}` mean "no arguments" (Go and Ruby send them): never a 5xx, a 4xx only when something is required.
        let required: string[] = [];
        for (const [label, body] of [
          ['null', null],
          ['{}', {}],
        ] as const) {
          if (route in ACTS_ON_EMPTY) continue;
          const { res } = await send(route, label, { body });
          expectNo5xx(route, label, res);
          required = requiredFromError(String(res.body?.errorMessage ?? ''));
        }
        // Learn the route's fields: every known field name with an object, then a number, as its value.
        const fields = new Map<string, Field>((FIELD_HINTS[route] ?? []).map((f) => [f.name, f]));
        for (const probeValue of route in FIELD_HINTS ? [] : [PROBE, 12345]) {
          const body = Object.fromEntries(names.map((n) => [n, probeValue]));
          const { res } = await send(route, `every field = ${JSON.stringify(probeValue)}`, { body });
          expect4xx(route, `every field = ${JSON.stringify(probeValue)}`, res);
          for (const f of fieldsFromError(String(res.body?.errorMessage ?? '')))
            if (!fields.has(f.name) || fields.get(f.name)!.type === 'other') fields.set(f.name, f);
        }
        // A plausible body: the required fields, each with a value of its type.
        const base = Object.fromEntries(
          required.map((name) => [name, plausible(fields.get(name) ?? { name, type: 'string' })]),
        );
        // Wrong types, each in an otherwise plausible body: a refusal as E011003 names the field.
        for (const f of fields.values()) {
          for (const v of wrongTypes(f.type)) {
            const label = `${f.name} (${f.type}) = ${JSON.stringify(v).slice(0, 40)}`;
            const { res } = await send(route, label, { body: { ...base, [f.name]: v } });
            expect4xx(route, label, res);
            if (res.body?.errorCode === 'E011003' && !String(res.body.errorMessage).includes(f.name))
              failures.push({
                route,
                case: `${label}: names the field`,
                status: res.status,
                body: JSON.stringify(res.body),
              });
          }
        }
        // Values of the right type that no route should accept, each in an otherwise plausible body.
        for (const f of fields.values()) {
          const bad =
            f.type === 'string'
              ? [ONE_MB, 'nul\u0000byte']
              : f.type === 'number'
                ? [-1, 1.5, 1e300]
                : f.type === 'array'
                  ? [[deepObject(100)]]
                  : [];
          for (const v of bad) {
            const label = `${f.name} = ${JSON.stringify(v).slice(0, 20)}… in a plausible body`;
            const { res } = await send(route, label, { body: { ...base, [f.name]: v } });
            if (`${route} ${f.name}` in TOLERATED) expectNo5xx(route, label, res);
            else expect4xx(route, label, res);
          }
        }
      }
      t.diagnostic(`${sent} requests over ${routes.length} routes (${Object.keys(SKIPPED).length} skipped)`);
      assert.deepEqual(
        failures.map((f) => `${f.status} ${f.route} :: ${f.case} :: ${f.body}`),
        [],
      );
    });

    test('and nothing changed in the store', async () => {
      assert.deepEqual(await snapshotTables(s.server.store.db), before1);
    });
  });
}
