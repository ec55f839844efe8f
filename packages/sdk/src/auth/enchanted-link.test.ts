import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LatchkeyApiError } from '../errors.ts';
import { createHttp } from '../http.ts';
import { createEnchantedLinkApi } from './enchanted-link.ts';

type Canned = { status: number; body: unknown; headers?: Record<string, string> };

/**
 * A stand-in for the network (not for Latchkey, whose real behaviour the integration tests cover): answers
 * the polls with `answers` in turn and records when each came. Used for answers a real server rarely gives
 * (429 while polling, a 5xx).
 */
function polling(answers: Canned[]) {
  const at: number[] = [];
  const fetchImpl = (async () => {
    at.push(Date.now());
    const next = answers[Math.min(at.length - 1, answers.length - 1)]!;
    return new Response(JSON.stringify(next.body), { status: next.status, headers: next.headers });
  }) as typeof fetch;
  const http = createHttp({ baseUrl: 'http://x', projectId: 'P1', fetch: fetchImpl, timeoutMs: 1000 });
  return { at, api: createEnchantedLinkApi(http) };
}

const pending = { status: 401, body: { errorCode: 'E062503', errorDescription: 'pending' } };
const session = { status: 200, body: { sessionJwt: 's.j.w', refreshJwt: 'r.j.w' } };

describe('enchantedLink.waitForSession', () => {
  test('keeps polling while pending, waits at least Retry-After on a 429, resolves with the session', async () => {
    const { at, api } = polling([
      pending,
      { status: 429, body: { errorCode: 'E130429' }, headers: { 'retry-after': '1' } },
      pending,
      session,
    ]);
    const res = await api.waitForSession('ref', { intervalMs: 100, timeoutMs: 10_000 });
    assert.equal(res.sessionJwt, 's.j.w');
    assert.equal(at.length, 4);
    assert.ok(at[2]! - at[1]! >= 950, `waited ${at[2]! - at[1]!} ms after the 429`);
    assert.ok(at[1]! - at[0]! < 900, 'the ordinary interval otherwise');
  });

  test('any other error ends the wait at once', async () => {
    const { at, api } = polling([pending, { status: 500, body: { errorCode: 'E000500' } }, session]);
    const err = await api.waitForSession('ref', { intervalMs: 100 }).catch((e: unknown) => e);
    assert.ok(err instanceof LatchkeyApiError);
    assert.equal(err.status, 500);
    assert.equal(at.length, 2);
  });

  test('a 401 with another code is not "pending"', async () => {
    const { at, api } = polling([{ status: 401, body: { errorCode: 'E011102' } }]);
    await assert.rejects(api.waitForSession('ref', { intervalMs: 100 }), LatchkeyApiError);
    assert.equal(at.length, 1);
  });

  test('an already aborted signal rejects before any request', async () => {
    const { at, api } = polling([session]);
    const reason = new Error('gone');
    await assert.rejects(api.waitForSession('ref', { signal: AbortSignal.abort(reason) }), reason);
    assert.equal(at.length, 0);
  });
});
