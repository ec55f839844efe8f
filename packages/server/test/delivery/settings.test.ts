import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';

for (const store of STORES) {
  describe(`delivery settings (${store})`, () => {
    let s: TestServer;
    const good = {
      email: {
        provider: 'smtp',
        smtp: {
          host: 'smtp.acme.test',
          port: 2525,
          user: 'mailer',
          password: 'pw-Rt55',
          from: 'no-reply@acme.test',
        },
      },
      text: { provider: 'twilio', twilio: { accountSid: 'AC1', authToken: 'tok-Lm22', from: '+15550100' } },
      templates: { text: { otp: 'Acme: {{code}}' } },
    };
    before(async () => {
      s = await startTestServer(store);
      const saved = await mgmt(s, 'POST', '/v1/mgmt/delivery/settings', good);
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
    });
    after(() => s.close());

    type Read = { email: { smtp?: { port?: number } }; text: { provider: string } };
    const read = async () => (await mgmt<Read>(s, 'GET', '/v1/mgmt/delivery/settings')).body;

    test('the answer is the stored settings with every secret masked', async () => {
      assert.deepEqual(await read(), {
        email: { provider: 'smtp', smtp: { ...good.email.smtp, password: '********' } },
        text: { provider: 'twilio', twilio: { ...good.text.twilio, authToken: '********' } },
        outbox: {},
        templates: good.templates,
        mode: 'development',
        outboxActive: true,
      });
    });

    test('bad settings are a 400 with a Descope-style body, and nothing changes', async () => {
      const before = await read();
      const bad: [string, unknown][] = [
        ['invalid port', { email: { smtp: { port: 70_000 } } }],
        ['port as text', { email: { smtp: { port: 'abc' } } }],
        ['missing host', { email: { smtp: { host: null } } }],
        ['smtp without its block', { email: { provider: 'smtp', smtp: null } }],
        ['unknown email provider', { email: { provider: 'sendgrid' } }],
        ['unknown text provider', { text: { provider: 'carrier-pigeon' } }],
        ['webhook without url', { text: { provider: 'webhook', webhook: { headers: { A: 'b' } } } }],
        ['non-http webhook', { text: { provider: 'webhook', webhook: { url: 'file:///etc/passwd' } } }],
        ['header injection', { text: { webhook: { url: 'https://h.test', headers: { A: 'b\r\nC: d' } } } }],
        ['unknown field', { email: { smtp: { hots: 'typo.test' } } }],
        ['unknown section', { sms: {} }],
        [
          'template with a line break in its subject',
          { templates: { email: { otp: { subject: 'a\nBcc: x@y.test' } } } },
        ],
        ['outbox flag not a boolean', { outbox: { enabled: 'yes' } }],
        ['not an object', [1, 2]],
      ];
      for (const [what, body] of bad) {
        const res = await mgmt(s, 'POST', '/v1/mgmt/delivery/settings', body);
        assert.equal(res.status, 400, `${what}: ${JSON.stringify(res.body)}`);
        assert.match(String(res.body.errorCode), /^E01100[1-4]$/, what);
        assert.equal(typeof res.body.errorDescription, 'string');
        assert.equal(typeof res.body.errorMessage, 'string');
        assert.ok(!JSON.stringify(res.body).includes('pw-Rt55'), `${what}: no secret in the error`);
      }
      assert.deepEqual(await read(), before, 'nothing was saved');
    });

    test('a partial update changes only what it names', async () => {
      const res = await mgmt(s, 'POST', '/v1/mgmt/delivery/settings', {
        email: { smtp: { port: 465, secure: true } },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const after = await read();
      assert.deepEqual(after.email, {
        provider: 'smtp',
        smtp: { ...good.email.smtp, port: 465, secure: true, password: '********' },
      });
      assert.deepEqual(after.text, {
        provider: 'twilio',
        twilio: { ...good.text.twilio, authToken: '********' },
      });
    });

    test('a change to the other project settings keeps the delivery settings', async () => {
      const res = await mgmt(s, 'POST', '/v1/mgmt/project/settings', { refreshTokenRotation: true });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const after = await read();
      assert.equal(after.email.smtp?.port, 465);
      assert.equal(after.text.provider, 'twilio');
    });

    test('the settings, test and outbox routes need the management key', async () => {
      for (const [method, path] of [
        ['GET', '/v1/mgmt/delivery/settings'],
        ['POST', '/v1/mgmt/delivery/settings'],
        ['POST', '/v1/mgmt/delivery/test'],
        ['GET', '/v1/mgmt/outbox'],
        ['DELETE', '/v1/mgmt/outbox'],
      ] as const) {
        const res = await call(s, method, path, { auth: s.project, body: method === 'GET' ? undefined : {} });
        assert.equal(res.status, 401, `${method} ${path}`);
      }
    });

    test('the test route validates its input', async () => {
      const bad = [
        { channel: 'pigeon', to: 'a@x.test' },
        { channel: 'email' },
        { channel: 'email', to: 'not-an-address' },
        { channel: 'email', to: 'a@x.test,b' },
        { channel: 'sms', to: 'a@x.test' },
        { channel: 'email', to: 'a@x.test', kind: 'newsletter' },
      ];
      for (const body of bad) {
        const res = await mgmt(s, 'POST', '/v1/mgmt/delivery/test', body);
        assert.equal(res.status, 400, JSON.stringify(body));
      }
    });
  });
}
