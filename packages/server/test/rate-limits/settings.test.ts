import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';

type Rule = { max: number; windowSeconds: number };
type Settings = {
  sessionTokenExpiration: number;
  rateLimits: { enabled: boolean } & Record<string, Rule | boolean>;
  passwordless: Record<string, unknown>;
};

const DEFAULT_RATE_LIMITS = {
  enabled: true,
  signInPerLoginId: { max: 10, windowSeconds: 60 },
  signInPerIp: { max: 100, windowSeconds: 60 },
  sendPerLoginId: { max: 5, windowSeconds: 60 },
  sendPerIp: { max: 50, windowSeconds: 60 },
  verifyPerLoginId: { max: 10, windowSeconds: 60 },
  verifyPerIp: { max: 100, windowSeconds: 60 },
};
const DEFAULT_PASSWORDLESS = {
  otpExpirationSeconds: 300,
  otpLength: 6,
  otpMaxAttempts: 5,
  magicLinkExpirationSeconds: 900,
  enchantedLinkExpirationSeconds: 900,
  allowedRedirectOrigins: [],
  passwordResetMethod: 'magiclink',
};

for (const store of STORES) {
  describe(`project settings: rate limits and one-time codes (${store})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(store);
    });
    after(() => s.close());

    const get = async () => {
      const res = await mgmt<Settings>(s, 'GET', '/v1/mgmt/project/settings');
      assert.equal(res.status, 200);
      return res.body;
    };
    const post = (body: unknown) => mgmt(s, 'POST', '/v1/mgmt/project/settings', body);

    test('GET answers the documented defaults', async () => {
      const settings = await get();
      assert.deepEqual(settings.rateLimits, DEFAULT_RATE_LIMITS);
      assert.deepEqual(settings.passwordless, DEFAULT_PASSWORDLESS);
    });

    test('a rate-limit change is partial and merged into what is stored', async () => {
      assert.equal((await post({ rateLimits: { signInPerLoginId: { max: 3 } } })).status, 200);
      let { rateLimits } = await get();
      assert.deepEqual(rateLimits, {
        ...DEFAULT_RATE_LIMITS,
        signInPerLoginId: { max: 3, windowSeconds: 60 },
      });
      assert.equal(
        (await post({ rateLimits: { enabled: false, sendPerIp: { max: 7, windowSeconds: 3600 } } })).status,
        200,
      );
      ({ rateLimits } = await get());
      assert.deepEqual(rateLimits, {
        ...DEFAULT_RATE_LIMITS,
        enabled: false,
        signInPerLoginId: { max: 3, windowSeconds: 60 },
        sendPerIp: { max: 7, windowSeconds: 3600 },
      });
      assert.equal((await post({ rateLimits: DEFAULT_RATE_LIMITS })).status, 200);
      assert.deepEqual((await get()).rateLimits, DEFAULT_RATE_LIMITS);
    });

    test('a one-time-code change is partial; origins are stored bare; null clears the default redirect', async () => {
      const res = await post({
        passwordless: {
          otpLength: 8,
          magicLinkExpirationSeconds: 600,
          defaultRedirectUrl: 'https://app.example.com/welcome',
          allowedRedirectOrigins: ['https://app.example.com/', 'http://localhost:3000'],
          passwordResetMethod: 'otp',
        },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual((await get()).passwordless, {
        ...DEFAULT_PASSWORDLESS,
        otpLength: 8,
        magicLinkExpirationSeconds: 600,
        defaultRedirectUrl: 'https://app.example.com/welcome',
        allowedRedirectOrigins: ['https://app.example.com', 'http://localhost:3000'],
        passwordResetMethod: 'otp',
      });
      assert.equal((await post({ passwordless: { otpMaxAttempts: 3 } })).status, 200);
      const kept = (await get()).passwordless;
      assert.equal(kept.otpMaxAttempts, 3);
      assert.equal(kept.defaultRedirectUrl, 'https://app.example.com/welcome', 'untouched fields stay');
      assert.equal(
        (await post({ passwordless: { defaultRedirectUrl: null, allowedRedirectOrigins: [] } })).status,
        200,
      );
      const cleared = (await get()).passwordless;
      assert.equal('defaultRedirectUrl' in cleared, false);
      assert.deepEqual(cleared.allowedRedirectOrigins, []);
      assert.equal((await post({ passwordless: DEFAULT_PASSWORDLESS })).status, 200);
      assert.deepEqual((await get()).passwordless, DEFAULT_PASSWORDLESS);
    });

    const invalid: [string, unknown][] = [
      ['a maximum of 0', { rateLimits: { signInPerLoginId: { max: 0 } } }],
      ['a fractional maximum', { rateLimits: { signInPerIp: { max: 2.5 } } }],
      ['a window over a day', { rateLimits: { verifyPerIp: { windowSeconds: 86_401 } } }],
      ['a misspelt rule', { rateLimits: { signInPerLogin: { max: 3 } } }],
      ['an unknown field in a rule', { rateLimits: { sendPerIp: { max: 3, burst: 2 } } }],
      ['enabled as a string', { rateLimits: { enabled: 'no' } }],
      ['rate limits as a number', { rateLimits: 5 }],
      ['an OTP of 3 digits', { passwordless: { otpLength: 3 } }],
      ['an OTP lifetime of 10 s', { passwordless: { otpExpirationSeconds: 10 } }],
      ['an unknown reset method', { passwordless: { passwordResetMethod: 'sms' } }],
      ['an unknown passwordless field', { passwordless: { otpLenght: 8 } }],
      ['a redirect that is no URL', { passwordless: { defaultRedirectUrl: 'not a url' } }],
      ['a script redirect', { passwordless: { defaultRedirectUrl: 'javascript:alert(1)' } }],
      ['an origin with a path', { passwordless: { allowedRedirectOrigins: ['https://app.example.com/cb'] } }],
      [
        'an origin with a query',
        { passwordless: { allowedRedirectOrigins: ['https://app.example.com?x=1'] } },
      ],
      ['a non-web origin', { passwordless: { allowedRedirectOrigins: ['ftp://files.example.com'] } }],
      [
        '101 origins',
        {
          passwordless: {
            allowedRedirectOrigins: Array.from({ length: 101 }, (_, i) => `https://a${i}.example.com`),
          },
        },
      ],
    ];
    for (const [what, change] of invalid) {
      test(`${what} is refused with 400 and nothing changes`, async () => {
        const before = await get();
        const res = await post({ ...(change as object), sessionTokenExpiration: 900 });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.match(String(res.body.errorCode), /^E0110\d\d$/);
        assert.deepEqual(await get(), before);
        assert.notEqual(before.sessionTokenExpiration, 900);
      });
    }

    test('a read-modify-write of the whole settings object is accepted and changes nothing', async () => {
      const before = await get();
      const res = await post(before);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(await get(), before);
    });

    test('delivery secrets never come back through the project settings, and a write keeps them', async () => {
      const smtp = {
        host: 'smtp.example.com',
        user: 'mailer',
        password: 'hunter2-smtp-secret',
        from: 'a@example.com',
      };
      const set = await mgmt(s, 'POST', '/v1/mgmt/delivery/settings', { email: { provider: 'smtp', smtp } });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      const raw = await fetch(`${s.url}/v1/mgmt/project/settings`, {
        headers: { authorization: s.management },
      });
      const text = await raw.text();
      assert.doesNotMatch(text, /hunter2/);
      assert.equal('delivery' in JSON.parse(text), false);
      assert.equal((await post({ ...JSON.parse(text), rateLimits: { enabled: true } })).status, 200);
      const delivery = await mgmt<{ email: { smtp: { host: string; password: string } } }>(
        s,
        'GET',
        '/v1/mgmt/delivery/settings',
      );
      assert.equal(delivery.body.email.smtp.host, 'smtp.example.com');
      assert.equal(delivery.body.email.smtp.password, '********', 'still set, still masked');
    });

    test('the settings need a management key', async () => {
      const res = await fetch(`${s.url}/v1/mgmt/project/settings`, {
        method: 'POST',
        headers: { authorization: s.project, 'content-type': 'application/json' },
        body: JSON.stringify({ rateLimits: { enabled: false } }),
      });
      assert.equal(res.status, 401);
      assert.equal((await get()).rateLimits.enabled, true);
    });
  });
}
