import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { insertAuditRows } from '../../src/audit/repo.ts';
import { pruneAudit } from '../../src/audit/retention.ts';
import { disableRateLimits, newestMessage, uid } from '../descope-sdk/support.ts';
import { call, mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';
import { auditRow } from './support.ts';

type WireAudit = {
  action: string;
  method: string;
  userId: string;
  actorId: string;
  geo: string;
  device: string;
  externalIds: string[];
  data: Record<string, unknown>;
};
type Jwt = { sessionJwt: string; refreshJwt: string; user: { userId: string } };
const DAY = 86_400_000;

/** OTP, refresh and logout events recorded by the HTTP layer, and retention of old records. */
for (const store of STORES) {
  describe(`audit: passwordless flows and retention (${store})`, () => {
    let s: TestServer;
    const search = async (body: Record<string, unknown>) => {
      const res = await mgmt<{ audits: WireAudit[]; total: number }>(
        s,
        'POST',
        '/v1/mgmt/audit/search',
        body,
      );
      assert.equal(res.status, 200);
      return res.body.audits;
    };
    before(async () => {
      s = await startTestServer(store);
      await disableRateLimits(s);
    });
    after(() => s.close());

    test('OTP: LoginStarted, LoginFailed on a wrong code, UserCreated + LoginSucceed, UserRefresh, Logout', async () => {
      const loginId = `${uid('otp-')}@example.com`;
      const post = <T>(path: string, body: unknown, auth = s.project) =>
        call<T>(s, 'POST', path, {
          auth,
          body,
          // no trusted proxy here: a country header from the client is ignored
          headers: { 'cf-ipcountry': 'US', 'user-agent': 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)' },
        });
      assert.equal((await post('/v1/auth/otp/signup-in/email', { loginId })).status, 200);
      const code = /\b(\d{6})\b/.exec((await newestMessage(s, loginId)).text)![1]!;
      const wrong = code === '000000' ? '111111' : '000000';
      assert.equal((await post('/v1/auth/otp/verify/email', { loginId, code: wrong })).status, 401);
      const verified = await post<Jwt>('/v1/auth/otp/verify/email', { loginId, code });
      assert.equal(verified.status, 200);
      const userId = verified.body.user.userId;
      const refresh = `Bearer ${s.projectId}:${verified.body.refreshJwt}`;
      assert.equal((await post('/v1/auth/refresh', {}, refresh)).status, 200);
      assert.equal((await post('/v1/auth/logout', {}, refresh)).status, 200);

      const audits = await search({ externalIds: [loginId] });
      assert.deepEqual(
        audits.map((a) => `${a.action}:${a.method}`),
        ['UserRefresh:', 'LoginSucceed:otp', 'UserCreated:otp', 'LoginFailed:otp', 'LoginStarted:otp'],
      );
      assert.equal(audits[1]!.userId, userId);
      assert.equal(audits[1]!.geo, '');
      assert.equal(audits[1]!.device, 'Tablet');
      assert.equal(audits[3]!.data.error_code, 'E061102');
      assert.ok(!JSON.stringify(audits).includes(code), 'the code is never recorded');
      const byUser = await search({ userIds: [userId], actions: ['UserRefresh', 'Logout'] });
      assert.deepEqual(
        byUser.map((a) => a.action),
        ['Logout', 'UserRefresh'],
      );
      assert.ok(!JSON.stringify(byUser).includes(verified.body.refreshJwt), 'no token in the trail');
    });

    test('records past the project`s auditRetentionDays are pruned; newer ones stay', async () => {
      const set = await mgmt(s, 'POST', '/v1/mgmt/project/settings', { auditRetentionDays: 10 });
      assert.equal(set.status, 200);
      assert.equal(
        (await mgmt<Record<string, unknown>>(s, 'GET', '/v1/mgmt/project/settings')).body.auditRetentionDays,
        10,
      );
      assert.equal(
        (await mgmt(s, 'POST', '/v1/mgmt/project/settings', { auditRetentionDays: 0 })).status,
        400,
      );
      const loginId = `${uid('ret-')}@example.com`;
      const now = Date.now();
      const row = (action: string, occurred: number) => auditRow(s.projectId, loginId, action, occurred);
      await insertAuditRows(s.server.store.db, [row('Old', now - 11 * DAY), row('Kept', now - 9 * DAY)]);
      assert.equal((await search({ externalIds: [loginId] })).length, 2);
      assert.ok((await pruneAudit(s.server.store.db, now)) >= 1);
      assert.deepEqual(
        (await search({ externalIds: [loginId] })).map((a) => a.action),
        ['Kept'],
      );
      const refs = await s.server.store.db
        .selectFrom('audit_refs')
        .select('audit_id')
        .where('project_id', '=', s.projectId)
        .where('value', '=', loginId)
        .execute();
      assert.equal(refs.length, 1, 'the login-id rows go with their record');
    });
  });
}
