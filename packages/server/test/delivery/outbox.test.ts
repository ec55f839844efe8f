import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';

type Message = {
  id: string;
  channel: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  createdTime: number;
};
type Messages = { messages: Message[] };

const page = async (s: TestServer, projectId: string, auth?: string) => {
  const res = await fetch(`${s.url}/outbox/${projectId}`, { headers: auth ? { authorization: auth } : {} });
  return { status: res.status, headers: res.headers, text: await res.text() };
};

for (const store of STORES) {
  describe(`dev outbox in development mode (${store})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(store);
    });
    after(() => s.close());

    const send = (body: Record<string, unknown>) =>
      mgmt(s, 'POST', '/v1/mgmt/delivery/test', { channel: 'email', to: 'dev@example.test', ...body });

    test('a fresh server stores messages in the outbox; the JSON list shows them newest first', async () => {
      const settings = await mgmt(s, 'GET', '/v1/mgmt/delivery/settings');
      assert.equal(settings.status, 200);
      assert.deepEqual(settings.body, {
        email: { provider: 'outbox' },
        text: { provider: 'outbox' },
        outbox: {},
        templates: {},
        mode: 'development',
        outboxActive: true,
      });
      const first = await send({ kind: 'otp', vars: { code: '111111', name: 'Dev One' } });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.provider, 'outbox');
      await send({ kind: 'magiclink', vars: { link: 'https://app.test/verify?t=Abc123', name: 'Dev One' } });
      await send({ channel: 'sms', to: '+15550123', kind: 'otp', vars: { code: '222222' } });
      const list = await mgmt<Messages>(s, 'GET', '/v1/mgmt/outbox');
      assert.equal(list.status, 200);
      assert.deepEqual(
        list.body.messages.map((m) => [m.channel, m.kind, m.to]),
        [
          ['sms', 'otp', '+15550123'],
          ['email', 'magiclink', 'dev@example.test'],
          ['email', 'otp', 'dev@example.test'],
        ],
      );
      const otp = list.body.messages[2]!;
      assert.equal(otp.subject, 'Your sign-in code: 111111');
      assert.match(otp.text, /Hello Dev One,[\s\S]*111111/);
      assert.match(otp.html, /<strong>111111<\/strong>/);
      assert.equal(typeof otp.id, 'string');
      assert.ok(Math.abs(otp.createdTime - Date.now() / 1000) < 60);
      assert.equal(list.body.messages[0]!.text, 'Your code is 222222');
    });

    test('the list filters by recipient (any case) and limits', async () => {
      const byTo = await mgmt<Messages>(s, 'GET', '/v1/mgmt/outbox?to=DEV@Example.test');
      assert.deepEqual(
        byTo.body.messages.map((m) => m.kind),
        ['magiclink', 'otp'],
      );
      const one = await mgmt<Messages>(s, 'GET', '/v1/mgmt/outbox?limit=1');
      assert.equal(one.body.messages.length, 1);
      assert.equal((await mgmt(s, 'GET', '/v1/mgmt/outbox?limit=0')).status, 400);
      assert.equal((await mgmt(s, 'GET', '/v1/mgmt/outbox?limit=abc')).status, 400);
    });

    test('the JSON outbox always needs the management key', async () => {
      assert.equal((await call(s, 'GET', '/v1/mgmt/outbox')).status, 401);
      assert.equal((await call(s, 'GET', '/v1/mgmt/outbox', { auth: s.project })).status, 401);
      assert.equal((await call(s, 'DELETE', '/v1/mgmt/outbox', { auth: s.project })).status, 401);
    });

    test('the HTML page opens without a key and shows codes and clickable links', async () => {
      const res = await page(s, s.projectId);
      assert.equal(res.status, 200);
      assert.match(String(res.headers.get('content-type')), /text\/html/);
      assert.match(String(res.headers.get('content-security-policy')), /default-src 'none'/);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.ok(res.text.includes('<strong class="code">111111</strong>'), 'the code stands out');
      assert.ok(res.text.includes('<strong class="code">222222</strong>'));
      assert.ok(
        res.text.includes(
          '<a class="link" href="https://app.test/verify?t=Abc123" rel="noreferrer noopener" target="_blank">',
        ),
        'the link is clickable',
      );
      assert.ok(res.text.indexOf('+15550123') < res.text.indexOf('111111'), 'newest first');
      assert.ok(res.text.includes('To dev@example.test'));
      assert.ok(!/<script|src=|@import|url\(/i.test(res.text), 'no scripts, no external assets');
    });

    test('everything on the page is escaped: a <script> in a name stays text', async () => {
      const evil = '<script>alert(1)</script>';
      await send({
        to: 'xss@example.test',
        kind: 'magiclink',
        vars: { name: evil, link: 'javascript:alert(2)' },
        templateOptions: { x: '"><img src=x onerror=alert(3)>' },
      });
      await mgmt(s, 'POST', '/v1/mgmt/delivery/settings', {
        templates: {
          email: { invite: { subject: '{{name}}', text: '{{name}} {{x}}', html: '<b>{{name}}</b>' } },
        },
      });
      await send({
        to: 'xss@example.test',
        kind: 'invite',
        vars: { name: evil },
        templateOptions: { x: '<i>y</i>' },
      });
      const res = await page(s, s.projectId);
      assert.equal(res.status, 200);
      assert.ok(!res.text.includes('<script>alert(1)</script>'), 'the script tag is not on the page');
      assert.ok(res.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'it is shown as text');
      assert.ok(!res.text.includes('<i>y</i>'));
      assert.ok(!res.text.includes('href="javascript:'), 'only http(s) links are made clickable');
      // The HTML version sits in a sandboxed frame, as an escaped attribute.
      assert.match(
        res.text,
        /<iframe sandbox="" title="HTML version" srcdoc="&lt;b&gt;&amp;lt;script&amp;gt;/,
      );
      assert.ok(!/<iframe(?![^>]*sandbox="")/.test(res.text), 'every frame is sandboxed');
    });

    test('an unknown project has no page', async () => {
      const res = await page(s, 'Pnosuchproject000000000000000');
      assert.equal(res.status, 404);
      assert.ok(JSON.parse(res.text).errorCode);
    });

    test('messages older than a day are dropped when the next one is stored', async () => {
      await s.server.store.db
        .insertInto('outbox_messages')
        .values({
          project_id: s.projectId,
          id: '000000000000old',
          channel: 'email',
          kind: 'otp',
          recipient: 'old@example.test',
          subject: 'old',
          text_body: 'old',
          html_body: '',
          created_time: Math.floor(Date.now() / 1000) - 86_401,
        })
        .execute();
      assert.equal(
        (await mgmt<Messages>(s, 'GET', '/v1/mgmt/outbox?to=old@example.test')).body.messages.length,
        1,
      );
      await send({});
      assert.deepEqual(
        (await mgmt<Messages>(s, 'GET', '/v1/mgmt/outbox?to=old@example.test')).body.messages,
        [],
      );
    });

    test('DELETE clears the outbox', async () => {
      const res = await mgmt(s, 'DELETE', '/v1/mgmt/outbox');
      assert.equal(res.status, 200);
      assert.ok(Number(res.body.deleted) >= 5);
      assert.deepEqual((await mgmt<Messages>(s, 'GET', '/v1/mgmt/outbox')).body.messages, []);
      assert.match((await page(s, s.projectId)).text, /No messages yet/);
    });

    test('an explicitly disabled outbox refuses to send and hides the page', async () => {
      await mgmt(s, 'POST', '/v1/mgmt/delivery/settings', { outbox: { enabled: false } });
      try {
        const res = await send({});
        assert.equal(res.status, 400);
        assert.equal(res.body.errorCode, 'E011201');
        assert.equal((await page(s, s.projectId)).status, 404);
        assert.deepEqual((await mgmt<Messages>(s, 'GET', '/v1/mgmt/outbox')).body.messages, []);
      } finally {
        await mgmt(s, 'POST', '/v1/mgmt/delivery/settings', { outbox: { enabled: null } });
      }
      assert.equal((await page(s, s.projectId)).status, 200);
    });
  });

  describe(`dev outbox in production mode (${store})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(store, { LATCHKEY_MODE: 'production' });
    });
    after(() => s.close());

    test('with no provider, sending is refused with E011201 and nothing is stored', async () => {
      const settings = await mgmt(s, 'GET', '/v1/mgmt/delivery/settings');
      assert.equal(settings.body.mode, 'production');
      assert.equal(settings.body.outboxActive, false);
      for (const channel of ['email', 'sms']) {
        const res = await mgmt(s, 'POST', '/v1/mgmt/delivery/test', {
          channel,
          to: channel === 'email' ? 'prod@example.test' : '+15550111',
        });
        assert.equal(res.status, 400);
        assert.equal(res.body.errorCode, 'E011201');
      }
      assert.deepEqual((await mgmt<Messages>(s, 'GET', '/v1/mgmt/outbox')).body.messages, []);
    });

    test('the HTML page is never reachable without the management key', async () => {
      const anonymous = await page(s, s.projectId);
      assert.equal(anonymous.status, 401);
      assert.equal(JSON.parse(anonymous.text).errorCode, 'E011101');
      assert.equal((await page(s, s.projectId, s.project)).status, 401, 'the project id alone is not enough');
      assert.equal((await page(s, s.projectId, `${s.management}x`)).status, 401, 'a wrong key is refused');
      const disabled = await page(s, s.projectId, s.management);
      assert.equal(disabled.status, 404, 'with the key, a disabled outbox is still not there');
    });

    test('an operator may enable the outbox: then the page needs the key, and shows messages', async () => {
      const enabled = await mgmt(s, 'POST', '/v1/mgmt/delivery/settings', { outbox: { enabled: true } });
      assert.equal(enabled.status, 200);
      assert.equal(enabled.body.outboxActive, true);
      const sent = await mgmt(s, 'POST', '/v1/mgmt/delivery/test', {
        channel: 'email',
        to: 'prod@example.test',
        vars: { code: '654321' },
      });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      assert.equal((await page(s, s.projectId)).status, 401);
      const withKey = await page(s, s.projectId, s.management);
      assert.equal(withKey.status, 200);
      assert.ok(withKey.text.includes('<strong class="code">654321</strong>'));
      const list = await mgmt<Messages>(s, 'GET', '/v1/mgmt/outbox');
      assert.equal(list.body.messages.length, 1);
    });

    test("one project's key does not open another project's page", async () => {
      const res = await page(s, 'Potherproject00000000000000', s.management);
      assert.equal(res.status, 401);
    });
  });
}
