import assert from 'node:assert/strict';
import { type CallResult, call, mgmt, type TestServer } from '../support/server.ts';

/** CI runs Redis here; a laptop can point the suites elsewhere. */
export const REDIS_URL = process.env.LATCHKEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const PASSWORD = 'Str0ngPassword';

/** A password sign-in; `project` names the project when it is not the server's own (e.g. on a second instance). */
export const signIn = (s: TestServer, loginId: string, password = PASSWORD, project = s.project) =>
  call(s, 'POST', '/v1/auth/password/signin', { auth: project, body: { loginId, password } });

export async function signUp(s: TestServer, loginId: string): Promise<{ refreshJwt: string }> {
  const res = await call<{ refreshJwt: string }>(s, 'POST', '/v1/auth/password/signup', {
    auth: s.project,
    body: { loginId, password: PASSWORD },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

export async function setRateLimits(s: TestServer, rateLimits: Record<string, unknown>): Promise<void> {
  const res = await mgmt(s, 'POST', '/v1/mgmt/project/settings', { rateLimits });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

/** Asserts the Descope rate-limit answer (reference §5.4) and returns its Retry-After. */
export function assertRateLimited(res: CallResult, maxSeconds: number): number {
  assert.equal(res.status, 429, `expected 429, got ${res.status} ${JSON.stringify(res.body)}`);
  assert.equal(res.body.errorCode, 'E130429');
  assert.equal(typeof res.body.errorDescription, 'string');
  assert.ok(String(res.body.errorDescription).length > 0);
  assert.equal(typeof res.body.errorMessage, 'string');
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  const header = res.headers.get('retry-after');
  assert.match(header ?? '', /^[1-9][0-9]*$/, `Retry-After is whole seconds: ${header}`);
  const seconds = Number(header);
  assert.ok(seconds <= maxSeconds, `Retry-After ${seconds} is within the window of ${maxSeconds} s`);
  return seconds;
}

/** Runs calls one after another and answers the statuses. */
export async function statuses(n: number, run: (i: number) => Promise<CallResult>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await run(i)).status);
  return out;
}
