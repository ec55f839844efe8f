import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { startServer } from '../../src/main.ts';
import { createPostgresDatabase, STORES } from '../support/server.ts';
import { startHttpReceiver, startSmtpReceiver, until } from './support.ts';

for (const store of STORES) {
  test(`delivery secrets never reach the logs: SMTP password, Twilio token, webhook headers, codes, links (${store})`, async () => {
    let logged = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        logged += chunk.toString();
        done();
      },
    });
    const projectId = 'Pdeliverylogtest000000000000';
    const managementKey = 'Kdeliverylogmanagementkey00001';
    const auth = `Bearer ${projectId}:${managementKey}`;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-log-'));
    const database = store === 'postgres' ? await createPostgresDatabase() : undefined;
    const smtp = await startSmtpReceiver({ user: 'mailer', password: 'SmtpPassw0rd-Log' });
    const http = await startHttpReceiver();
    const server = await startServer(
      loadConfig({
        PORT: '0',
        LATCHKEY_DATA_DIR: dataDir,
        LATCHKEY_PROJECT_ID: projectId,
        LATCHKEY_MANAGEMENT_KEY: managementKey,
        LATCHKEY_MODE: 'production',
        LOG_LEVEL: 'trace',
        ...(database ? { DATABASE_URL: database.url } : {}),
      }),
      { logger: createLogger('trace', sink) },
    );
    const post = async (p: string, body: unknown) => {
      const res = await fetch(`${server.url}${p}`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.text() };
    };
    const token = 'TwilioT0ken-Log-Secret';
    const basic = Buffer.from(`AC42:${token}`).toString('base64');
    try {
      const configured = await post('/v1/mgmt/delivery/settings', {
        email: {
          provider: 'smtp',
          smtp: {
            host: '127.0.0.1',
            port: smtp.port,
            user: 'mailer',
            password: 'SmtpPassw0rd-Log',
            from: 'a@acme.test',
          },
        },
        text: {
          provider: 'twilio',
          twilio: { accountSid: 'AC42', authToken: token, from: '+15550100', baseUrl: http.url },
        },
      });
      assert.equal(configured.status, 200, configured.body);
      const link = 'https://app.test/verify?t=LinkT0kenSecret';
      const ok = await post('/v1/mgmt/delivery/test', {
        channel: 'email',
        to: 'log@x.test',
        kind: 'magiclink',
        vars: { link, code: '918273' },
      });
      assert.equal(ok.status, 200, ok.body);
      await until(() => smtp.mails[0], 'the email');
      assert.equal(
        (await post('/v1/mgmt/delivery/test', { channel: 'sms', to: '+15550101', vars: { code: '564738' } }))
          .status,
        200,
      );

      // Failures are logged (5xx): their messages must be clean too.
      await post('/v1/mgmt/delivery/settings', { email: { smtp: { password: 'WrongSmtpPassw0rd-Log' } } });
      assert.equal(
        (
          await post('/v1/mgmt/delivery/test', {
            channel: 'email',
            to: 'log@x.test',
            vars: { code: '112358' },
          })
        ).status,
        502,
      );
      http.respond(401, { code: 20003, message: `Authenticate: Basic ${basic} (${token})` });
      assert.equal(
        (await post('/v1/mgmt/delivery/test', { channel: 'sms', to: '+15550101', vars: { code: '132134' } }))
          .status,
        502,
      );
      await post('/v1/mgmt/delivery/settings', {
        text: {
          provider: 'webhook',
          webhook: { url: `${http.url}/hook`, headers: { 'X-Api-Key': 'HookHeaderSecret-Log' } },
        },
      });
      http.respond(500, { echo: 'HookHeaderSecret-Log' });
      assert.equal(
        (await post('/v1/mgmt/delivery/test', { channel: 'sms', to: '+15550101', vars: { code: '455689' } }))
          .status,
        502,
      );

      assert.ok(logged.includes('request completed'), 'requests are logged');
      assert.ok(logged.includes('E011202') || logged.includes('refused'), 'the failures are logged');
      for (const secret of [
        'SmtpPassw0rd-Log',
        'WrongSmtpPassw0rd-Log',
        token,
        basic,
        'HookHeaderSecret-Log',
        'LinkT0kenSecret',
        '918273',
        '564738',
        '112358',
        '132134',
        '455689',
        managementKey,
      ]) {
        assert.ok(!logged.includes(secret), `a secret reached the log: ${secret.slice(0, 6)}…`);
      }
    } finally {
      await server.close();
      await smtp.close();
      await http.close();
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
