import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { disableRateLimits } from '../descope-sdk/support.ts';
import { call, mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';
import { as, configure, okCall } from './support.ts';

/**
 * Every table of the live, fully migrated store that holds project rows (a `project_id` column), so a
 * table added by a later migration is checked without a change here.
 */
async function rowsPerTable(s: TestServer, projectId: string): Promise<Record<string, number>> {
  const db = s.server.store.db;
  const out: Record<string, number> = {};
  for (const t of await db.introspection.getTables()) {
    const column = t.name === 'projects' ? 'id' : 'project_id';
    if (!t.columns.some((c) => c.name === column)) continue;
    const res = await sql<{
      n: number | string;
    }>`select count(*) as n from ${sql.table(t.name)} where ${sql.ref(column)} = ${projectId}`.execute(db);
    out[t.name] = Number(res.rows[0]!.n);
  }
  return out;
}

for (const store of STORES) {
  describe(`project delete (${store})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(store);
      await disableRateLimits(s);
    });
    after(() => s.close());

    test('deletes every row of the project in every table; its keys then get 401; other projects are untouched', async () => {
      const c = as(s, s.projectId, s.managementKey);
      await configure(c, '');
      const signup = await call<{ refreshJwt: string }>(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId: 'grace@example.com', password: 'Corr3ct-Horse-Battery' },
      });
      assert.equal(signup.status, 200, JSON.stringify(signup.body));
      await okCall(
        call(s, 'POST', '/v1/auth/otp/signup-in/email', {
          auth: s.project,
          body: { loginId: 'otp@example.com' },
        }),
      );
      const other = await okCall<{ projectId: string; managementKey: string }>(
        mgmt(s, 'POST', '/v1/mgmt/project/clone', { name: 'Neighbour' }),
      );
      const o = as(s, other.projectId, other.managementKey);
      await okCall(o('POST', '/v1/mgmt/user/create', { loginId: 'n@example.com', email: 'n@example.com' }));

      // the audit trail is written in the background: wait until it holds this project's events
      const deadline = Date.now() + 5_000;
      while ('audit_events' in (await rowsPerTable(s, s.projectId)) && Date.now() < deadline) {
        if ((await rowsPerTable(s, s.projectId)).audit_events! > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const before = await rowsPerTable(s, s.projectId);
      if ('audit_events' in before)
        assert.ok(before.audit_events! > 0, 'the project has audit events to delete');
      const populated = Object.entries(before)
        .filter(([, n]) => n > 0)
        .map(([t]) => t);
      for (const t of [
        'projects',
        'management_keys',
        'signing_keys',
        'users',
        'tenants',
        'roles',
        'permissions',
        'flows',
        'flow_screens',
        'themes',
        'authz_schemas',
        'authz_relations',
        'access_keys',
        'refresh_tokens',
        'one_time_secrets',
      ])
        assert.ok(populated.includes(t), `the test populates ${t}`);
      const neighbour = await rowsPerTable(s, other.projectId);

      assert.deepEqual(await okCall(mgmt(s, 'POST', '/v1/mgmt/project/delete', {})), {});

      const leftover = Object.entries(await rowsPerTable(s, s.projectId)).filter(([, n]) => n > 0);
      assert.deepEqual(leftover, [], 'no table keeps a row of the deleted project');
      const neighbourAfter = await rowsPerTable(s, other.projectId);
      // the neighbour's audit trail may have grown; nothing of it was deleted
      for (const [t, n] of Object.entries(neighbour)) assert.ok(neighbourAfter[t]! >= n, t);

      const again = await mgmt<{ errorCode: string }>(s, 'POST', '/v1/mgmt/flow/list', {});
      assert.equal(again.status, 401);
      const signin = await call<{ errorCode: string }>(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId: 'grace@example.com', password: 'Corr3ct-Horse-Battery' },
      });
      assert.equal(signin.status, 401);
      const refresh = await call(s, 'POST', '/v1/auth/refresh', {
        auth: `Bearer ${s.projectId}:${signup.body.refreshJwt}`,
        body: {},
      });
      assert.equal(refresh.status, 401);
      assert.equal((await o('POST', '/v1/mgmt/flow/list', {})).status, 200);
    });
  });
}
