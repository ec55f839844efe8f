import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { insertAuditRows } from '../../src/audit/repo.ts';
import { disableRateLimits, PASSWORD, uid } from '../descope-sdk/support.ts';
import { call, mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';
import { auditRow } from './support.ts';

type WireAudit = {
  projectId: string;
  userId: string;
  action: string;
  type: string;
  actorId: string;
  occurred: string;
  device: string;
  method: string;
  geo: string;
  remoteAddress: string;
  externalIds: string[];
  tenants: string[];
  data: Record<string, unknown>;
};
type Found = { audits: WireAudit[]; total: number };

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const DESKTOP =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** The audit trail over raw HTTP (reference §3.11): what the server records by itself, and every search filter. */
for (const store of STORES) {
  describe(`audit over HTTP (${store})`, () => {
    let s: TestServer;
    const search = (body: Record<string, unknown>) => mgmt<Found>(s, 'POST', '/v1/mgmt/audit/search', body);
    const signUp = (loginId: string, ua = DESKTOP, headers: Record<string, string> = {}) =>
      call<{ user: { userId: string } }>(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId, password: PASSWORD },
        headers: { 'user-agent': ua, ...headers },
      });
    before(async () => {
      // a trusted proxy: the country header and X-Forwarded-For are believed
      s = await startTestServer(store, { LATCHKEY_TRUST_PROXY: 'true' });
      await disableRateLimits(s);
    });
    after(() => s.close());

    test('a password sign-up and sign-in are found right after, with method, login id, user, address and device', async () => {
      const loginId = `${uid('ada-')}@example.com`;
      const up = await signUp(loginId, IPHONE, { 'cf-ipcountry': 'de', 'x-forwarded-for': '203.0.113.7' });
      assert.equal(up.status, 200);
      const userId = up.body.user.userId;
      const signIn = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId, password: PASSWORD },
        headers: { 'user-agent': IPHONE, 'x-forwarded-for': '203.0.113.7', 'cf-ipcountry': 'DE' },
      });
      assert.equal(signIn.status, 200);
      const found = await search({ userIds: [userId] });
      assert.equal(found.status, 200);
      const actions = found.body.audits.map((a) => a.action);
      assert.deepEqual(actions, ['LoginSucceed', 'LoginSucceed', 'UserCreated'], 'newest first');
      const login = found.body.audits[0]!;
      assert.equal(login.projectId, s.projectId);
      assert.equal(login.method, 'password');
      assert.equal(login.type, 'info');
      assert.equal(login.userId, userId);
      assert.equal(login.actorId, userId);
      assert.deepEqual(login.externalIds, [loginId]);
      assert.equal(login.remoteAddress, '203.0.113.7');
      assert.equal(login.device, 'Mobile');
      assert.equal(login.geo, 'DE');
      assert.equal(typeof login.occurred, 'string');
      assert.ok(Math.abs(Number(login.occurred) - Date.now()) < 60_000);
      assert.equal(found.body.total, 3);
      assert.ok(!JSON.stringify(found.body).includes(PASSWORD), 'no password anywhere in the trail');
    });

    test('a wrong password is recorded as LoginFailed (warn) with the reason, never the password', async () => {
      const loginId = `${uid('bob-')}@example.com`;
      assert.equal((await signUp(loginId)).status, 200);
      const wrong = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId, password: 'Wr0ng-Password-123' },
        headers: { 'user-agent': DESKTOP },
      });
      assert.equal(wrong.status, 401);
      const found = await search({ externalIds: [loginId], actions: ['LoginFailed'] });
      assert.equal(found.body.audits.length, 1);
      const failed = found.body.audits[0]!;
      assert.equal(failed.type, 'warn');
      assert.equal(failed.method, 'password');
      assert.equal(failed.device, 'Desktop');
      assert.equal(failed.data.error_code, 'E062901');
      assert.ok(!JSON.stringify(failed).includes('Wr0ng-Password-123'));
    });

    test('management changes are recorded with the management key as actor; reads are not', async () => {
      const name = uid('Audit Tenant ');
      const created = await mgmt<{ id: string }>(s, 'POST', '/v1/mgmt/tenant/create', { name });
      assert.equal(created.status, 200);
      const tenantId = created.body.id;
      assert.equal(
        (await mgmt(s, 'POST', '/v1/mgmt/tenant/update', { id: tenantId, name: `${name}!` })).status,
        200,
      );
      const loginId = `${uid('mgmt-')}@example.com`;
      const user = await mgmt<{ user: { userId: string } }>(s, 'POST', '/v1/mgmt/user/create', {
        loginId,
        userTenants: [{ tenantId }],
      });
      assert.equal(user.status, 200);
      assert.equal((await mgmt(s, 'POST', '/v1/mgmt/tenant/search', {})).status, 200);
      const found = await search({ tenants: [tenantId] });
      // a user created into the tenant is found by the tenant too
      assert.deepEqual(
        found.body.audits.map((a) => a.action),
        ['UserCreated', 'TenantModified', 'TenantCreated'],
      );
      for (const a of found.body.audits) assert.equal(a.actorId, 'management');
      assert.equal(found.body.audits[2]!.data.createdId, tenantId);
      // the user service records its own UserCreated: exactly one event, with the request's address
      const byLogin = await search({ externalIds: [loginId] });
      assert.deepEqual(
        byLogin.body.audits.map((a) => a.action),
        ['UserCreated'],
      );
      assert.equal(byLogin.body.audits[0]!.actorId, 'management');
      assert.equal(byLogin.body.audits[0]!.userId, user.body.user.userId);
      assert.equal(byLogin.body.audits[0]!.remoteAddress, '127.0.0.1');
      assert.equal((await search({ actions: ['TenantSearched', 'TenantLoaded'] })).body.total, 0);
    });

    test('every filter narrows the result; excludedActions and excludeActions both work', async () => {
      const a = `${uid('fa-')}@example.com`;
      const b = `${uid('fb-')}@example.com`;
      const ua = await signUp(a, IPHONE, { 'x-forwarded-for': '198.51.100.1', 'x-geo-country': 'FR' });
      const ub = await signUp(b, DESKTOP, { 'x-forwarded-for': '198.51.100.2' });
      const idA = ua.body.user.userId;
      const idB = ub.body.user.userId;
      const users = { userIds: [idA, idB] };
      const ids = async (body: Record<string, unknown>) => {
        const res = await search({ ...users, ...body });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return res.body.audits.map((x) => `${x.userId === idA ? 'a' : 'b'}:${x.action}`).sort();
      };
      const both = ['a:LoginSucceed', 'a:UserCreated', 'b:LoginSucceed', 'b:UserCreated'];
      assert.deepEqual(await ids({}), both);
      assert.deepEqual(await ids({ actions: ['UserCreated'] }), ['a:UserCreated', 'b:UserCreated']);
      assert.deepEqual(await ids({ excludedActions: ['UserCreated'] }), ['a:LoginSucceed', 'b:LoginSucceed']);
      assert.deepEqual(await ids({ excludeActions: ['LoginSucceed'] }), ['a:UserCreated', 'b:UserCreated']);
      assert.deepEqual(await ids({ devices: ['Mobile'] }), ['a:LoginSucceed', 'a:UserCreated']);
      assert.deepEqual(await ids({ methods: ['password'] }), both);
      assert.deepEqual(await ids({ methods: ['otp'] }), []);
      assert.deepEqual(await ids({ geos: ['FR'] }), ['a:LoginSucceed', 'a:UserCreated']);
      assert.deepEqual(await ids({ remoteAddresses: ['198.51.100.2'] }), ['b:LoginSucceed', 'b:UserCreated']);
      assert.deepEqual(await ids({ externalIds: [b.toUpperCase()] }), ['b:LoginSucceed', 'b:UserCreated']);
      assert.deepEqual(await ids({ text: a.slice(0, 8).toUpperCase() }), ['a:LoginSucceed', 'a:UserCreated']);
      assert.deepEqual(
        await ids({ text: idB.toLowerCase() }),
        ['b:LoginSucceed', 'b:UserCreated'],
        'a user id',
      );
      assert.deepEqual(
        await ids({ text: '198.51.100.2' }),
        ['b:LoginSucceed', 'b:UserCreated'],
        'an address',
      );
      assert.deepEqual(await ids({ text: 'EXAMPLE.com' }), both, 'an e-mail domain');
      assert.deepEqual(await ids({ text: 'xample.com' }), [], 'words match from their start');
      assert.deepEqual(await ids({ text: '%' }), [], 'no wildcards');
      assert.deepEqual(await ids({ noTenants: true }), both);
      assert.deepEqual(await ids({ from: Date.now() + 60_000 }), []);
      assert.deepEqual(await ids({ to: Date.now() - 3_600_000 }), []);
      assert.deepEqual(await ids({ from: -9_223_372_036_854, to: -9_223_372_036_854 }), both, '≤ 0 is unset');
      const page0 = await search({ ...users, size: 3, page: 0 });
      const page1 = await search({ ...users, size: 3, page: 1 });
      assert.equal(page0.body.audits.length, 3);
      assert.equal(page1.body.audits.length, 1);
      assert.equal(page0.body.total, 4);
      const times = page0.body.audits.map((x) => Number(x.occurred));
      assert.deepEqual(
        times,
        [...times].sort((x, y) => y - x),
        'newest first',
      );
    });

    test('bad filters are refused with 400 and a Descope error body', async () => {
      for (const body of [
        { actions: 'LoginSucceed' },
        { devices: ['Phone'] },
        { size: 1001 },
        { size: -1 },
        { page: -1 },
        { from: 'yesterday' },
        { noTenants: 'yes' },
        { userIds: [1] },
        { text: 'x'.repeat(300) },
        { from: Date.now() - 1000, to: Date.now() - 60_000 },
      ]) {
        const res = await mgmt<{ errorCode: string; errorDescription: string }>(
          s,
          'POST',
          '/v1/mgmt/audit/search',
          body,
        );
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(res.body.errorCode, /^E\d{6}$/);
        assert.ok(res.body.errorDescription);
      }
      assert.equal(
        (await call(s, 'POST', '/v1/mgmt/audit/search', { auth: s.project, body: {} })).status,
        401,
      );
    });

    test('custom events: created, searchable by tenant and user, validated', async () => {
      const tenantId = uid('t-');
      const ok = await mgmt(s, 'POST', '/v1/mgmt/audit/event', {
        action: 'InvoicePaid',
        type: 'warn',
        actorId: 'billing-service',
        tenantId,
        userId: 'U-custom',
        data: { amount: 42, nested: { currency: 'EUR' }, password: 'never-stored' },
      });
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.body, {});
      const found = await search({ tenants: [tenantId] });
      assert.equal(found.body.audits.length, 1);
      const e = found.body.audits[0]!;
      assert.equal(e.action, 'InvoicePaid');
      assert.equal(e.type, 'warn');
      assert.equal(e.actorId, 'billing-service');
      assert.equal(e.userId, 'U-custom');
      assert.deepEqual(e.tenants, [tenantId]);
      assert.deepEqual(e.data, { amount: 42, nested: { currency: 'EUR' }, password: '[redacted]' });
      assert.equal((await search({ tenants: [tenantId], noTenants: true })).body.audits.length, 0);
      for (const body of [
        {},
        { action: 'X', type: 'info', actorId: 'a' },
        { action: 'X', type: 'debug', actorId: 'a', tenantId: 't' },
        { action: 5, type: 'info', actorId: 'a', tenantId: 't' },
        { action: 'X', type: 'info', actorId: 'a', tenantId: 't', data: 'text' },
        { action: 'X', type: 'info', actorId: 'a', tenantId: 't', data: [1] },
      ]) {
        const res = await mgmt<{ errorCode: string }>(s, 'POST', '/v1/mgmt/audit/event', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.ok(res.body.errorCode);
      }
      assert.equal((await search({ actions: ['X'] })).body.total, 0, 'nothing stored by refused calls');
    });

    test('searches reach back 30 days: an older `from` is clamped', async () => {
      const loginId = `${uid('old-')}@example.com`;
      const now = Date.now();
      await insertAuditRows(s.server.store.db, [
        auditRow(s.projectId, loginId, 'OldEvent', now - 40 * 86_400_000),
        auditRow(s.projectId, loginId, 'RecentEvent', now - 29 * 86_400_000),
      ]);
      const found = await search({ externalIds: [loginId], from: now - 60 * 86_400_000 });
      assert.deepEqual(
        found.body.audits.map((a) => a.action),
        ['RecentEvent'],
      );
    });
  });
}
