import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';
import { type HttpReceiver, startHttpReceiver, until } from './support.ts';

type Text = {
  text: { provider: string; webhook?: { headers?: Record<string, string> }; twilio?: Record<string, string> };
};

for (const store of STORES) {
  describe(`text messages through a webhook and a Twilio-compatible API (${store})`, () => {
    let s: TestServer;
    let hook: HttpReceiver;
    let twilio: HttpReceiver;
    const send = (body: Record<string, unknown>) =>
      mgmt(s, 'POST', '/v1/mgmt/delivery/test', { channel: 'sms', to: '+15550100', ...body });

    before(async () => {
      [hook, twilio] = await Promise.all([startHttpReceiver(), startHttpReceiver()]);
      s = await startTestServer(store);
    });
    after(async () => {
      await s.close();
      await hook.close();
      await twilio.close();
    });

    describe('webhook', () => {
      before(async () => {
        const saved = await mgmt(s, 'POST', '/v1/mgmt/delivery/settings', {
          text: {
            provider: 'webhook',
            webhook: {
              url: `${hook.url}/sms?via=latchkey`,
              headers: { Authorization: 'Bearer hook-secret-Pp09' },
            },
          },
        });
        assert.equal(saved.status, 200, JSON.stringify(saved.body));
      });

      test('posts {channel, to, body, kind} as JSON with the configured headers', async () => {
        const res = await send({ kind: 'otp', vars: { code: '582014', name: 'Ada' } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.provider, 'webhook');
        const req = await until(() => hook.requests.at(-1), 'the webhook call');
        assert.equal(req.method, 'POST');
        assert.equal(req.path, '/sms?via=latchkey');
        assert.equal(req.headers.authorization, 'Bearer hook-secret-Pp09');
        assert.match(String(req.headers['content-type']), /application\/json/);
        assert.deepEqual(JSON.parse(req.body), {
          channel: 'sms',
          to: '+15550100',
          body: 'Your code is 582014',
          kind: 'otp',
        });
      });

      test('the same webhook carries voice and WhatsApp; the project text templates apply', async () => {
        await mgmt(s, 'POST', '/v1/mgmt/delivery/settings', {
          templates: { text: { magiclink: 'Hi {{name}}, tap {{link}}' } },
        });
        const before = hook.requests.length;
        await send({
          channel: 'whatsapp',
          kind: 'magiclink',
          vars: { link: 'https://a.test/m?t=Q1', name: 'Lin' },
        });
        await send({ channel: 'voice', kind: 'otp', vars: { code: '4711' } });
        await until(() => hook.requests[before + 1], 'two calls');
        assert.deepEqual(JSON.parse(hook.requests[before]!.body), {
          channel: 'whatsapp',
          to: '+15550100',
          body: 'Hi Lin, tap https://a.test/m?t=Q1',
          kind: 'magiclink',
        });
        assert.equal(JSON.parse(hook.requests[before + 1]!.body).body, 'Your code is 4 7 1 1');
      });

      test('header values are masked on read and kept when the mask is sent back', async () => {
        const read = await mgmt<Text>(s, 'GET', '/v1/mgmt/delivery/settings');
        assert.deepEqual(read.body.text.webhook?.headers, { Authorization: '********' });
        assert.equal((await mgmt(s, 'POST', '/v1/mgmt/delivery/settings', read.body)).status, 200);
        await send({});
        assert.equal(hook.requests.at(-1)?.headers.authorization, 'Bearer hook-secret-Pp09');
      });

      test('a non-2xx answer is a 502 E011202 that does not echo the receiver', async () => {
        hook.respond(500, { error: 'echo Bearer hook-secret-Pp09' });
        try {
          const res = await send({});
          assert.equal(res.status, 502);
          assert.equal(res.body.errorCode, 'E011202');
          assert.match(String(res.body.errorMessage), /answered HTTP 500/);
          assert.ok(!JSON.stringify(res.body).includes('hook-secret'));
        } finally {
          hook.respond(200, {});
        }
      });

      test('an email is not a text message: with no email provider it goes to the outbox', async () => {
        const before = hook.requests.length;
        const res = await mgmt(s, 'POST', '/v1/mgmt/delivery/test', { channel: 'email', to: 'a@x.test' });
        assert.equal(res.body.provider, 'outbox');
        assert.equal(hook.requests.length, before);
      });

      test('a bad phone number is refused before any call', async () => {
        const before = hook.requests.length;
        const res = await send({ to: 'not a phone' });
        assert.equal(res.status, 400);
        assert.equal(hook.requests.length, before);
      });
    });

    describe('Twilio-compatible', () => {
      const sid = 'AC0123456789abcdef0123456789abcdef';
      const token = 'twilio-token-Hh31';
      before(async () => {
        const saved = await mgmt<Text>(s, 'POST', '/v1/mgmt/delivery/settings', {
          text: {
            provider: 'twilio',
            twilio: {
              accountSid: sid,
              authToken: token,
              from: '+15550199',
              whatsappFrom: '+15550177',
              baseUrl: twilio.url,
            },
          },
        });
        assert.equal(saved.status, 200, JSON.stringify(saved.body));
        assert.equal(saved.body.text.twilio?.authToken, '********');
      });

      const form = (i: number) => Object.fromEntries(new URLSearchParams(twilio.requests[i]!.body));
      const basic = `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`;

      test('SMS: a form-encoded Message with basic auth sid:token', async () => {
        const before = twilio.requests.length;
        const res = await send({ kind: 'otp', vars: { code: '303030' } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.provider, 'twilio');
        const req = await until(() => twilio.requests[before], 'the Twilio call');
        assert.equal(req.method, 'POST');
        assert.equal(req.path, `/2010-04-01/Accounts/${sid}/Messages.json`);
        assert.equal(req.headers.authorization, basic);
        assert.match(String(req.headers['content-type']), /application\/x-www-form-urlencoded/);
        assert.deepEqual(form(before), { To: '+15550100', From: '+15550199', Body: 'Your code is 303030' });
      });

      test('WhatsApp uses whatsapp: addresses and its own sender', async () => {
        const before = twilio.requests.length;
        await send({ channel: 'whatsapp', kind: 'otp', vars: { code: '121212' } });
        await until(() => twilio.requests[before], 'the Twilio call');
        assert.deepEqual(form(before), {
          To: 'whatsapp:+15550100',
          From: 'whatsapp:+15550177',
          Body: 'Your code is 121212',
        });
      });

      test('voice places a Call whose TwiML says the message, escaped', async () => {
        await mgmt(s, 'POST', '/v1/mgmt/delivery/settings', {
          templates: { text: { otp: 'Code for {{name}}: {{code}}' } },
        });
        const before = twilio.requests.length;
        await send({ channel: 'voice', kind: 'otp', vars: { code: '987', name: 'A&B <x>' } });
        const req = await until(() => twilio.requests[before], 'the Twilio call');
        assert.equal(req.path, `/2010-04-01/Accounts/${sid}/Calls.json`);
        const fields = form(before);
        assert.equal(fields.To, '+15550100');
        assert.equal(fields.From, '+15550199');
        assert.equal(
          fields.Twiml,
          '<Response><Say>Code for A&amp;B &lt;x&gt;: 9 8 7</Say><Pause length="1"/><Say>Code for A&amp;B &lt;x&gt;: 9 8 7</Say></Response>',
        );
      });

      test("Twilio's refusal is a 502 E011202 with its code, never the token", async () => {
        twilio.respond(401, { code: 20003, message: `Authenticate ${basic} ${token}`, status: 401 });
        try {
          const res = await send({});
          assert.equal(res.status, 502);
          assert.equal(res.body.errorCode, 'E011202');
          assert.match(String(res.body.errorMessage), /HTTP 401, Twilio error 20003/);
          assert.ok(!JSON.stringify(res.body).includes(token));
          assert.ok(!JSON.stringify(res.body).includes(basic.slice(6)));
        } finally {
          twilio.respond(201, {});
        }
      });

      test('a redirect is not followed (it would carry the credentials elsewhere)', async () => {
        twilio.respond(307, {});
        try {
          const before = twilio.requests.length;
          const res = await send({});
          assert.equal(res.status, 502);
          assert.equal(twilio.requests.length, before + 1);
        } finally {
          twilio.respond(201, {});
        }
      });
    });
  });
}
