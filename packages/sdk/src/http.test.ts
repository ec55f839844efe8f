import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LatchkeyApiError } from './errors.ts';
import { createHttp, parseRetryAfter } from './http.ts';

/** A stand-in for the network (not for Latchkey): answers every request with one canned response. */
function answering(
  status: number,
  body: string,
  headers: Record<string, string> = {},
  keys: { managementKey?: string; authManagementKey?: string } = { managementKey: 'K1' },
) {
  const seen: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    seen.push({ url, init });
    return new Response(body, { status, headers });
  }) as typeof fetch;
  return {
    seen,
    http: createHttp({
      baseUrl: 'http://x',
      projectId: 'P1',
      ...keys,
      fetch: fetchImpl,
      timeoutMs: 1000,
    }),
  };
}

describe('http', () => {
  test('a 429 carries the error body and Retry-After seconds', async () => {
    const { http } = answering(
      429,
      '{"errorCode":"E130429","errorDescription":"Rate limit exceeded","errorMessage":"slow down"}',
      {
        'retry-after': '17',
      },
    );
    const err = await http.request('POST', '/v1/auth/password/signin', { auth: 'project' }).then(
      () => assert.fail('should throw'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof LatchkeyApiError);
    assert.equal(err.status, 429);
    assert.equal(err.errorCode, 'E130429');
    assert.equal(err.errorMessage, 'slow down');
    assert.equal(err.retryAfter, 17);
    assert.match(err.message, /POST \/v1\/auth\/password\/signin failed with 429 E130429: slow down/);
  });

  test('a non-JSON error body still becomes a LatchkeyApiError', async () => {
    const { http } = answering(502, '<html>Bad gateway</html>');
    await assert.rejects(
      http.request('GET', '/v1/auth/me', { auth: { refreshJwt: 'a.b.c' } }),
      (e: unknown) => {
        assert.ok(e instanceof LatchkeyApiError);
        assert.equal(e.status, 502);
        assert.equal(e.errorCode, '');
        assert.equal(e.errorDescription, 'Invalid server response');
        assert.match(e.errorMessage, /Bad gateway/);
        assert.equal(e.retryAfter, undefined);
        return true;
      },
    );
  });

  test('sends the Descope headers for each credential and query parameters for GET', async () => {
    const { http, seen } = answering(200, '{}');
    await http.request('GET', '/v1/mgmt/user', {
      auth: 'management',
      query: { loginId: 'a b@x', userId: undefined },
    });
    await http.request('POST', '/v1/auth/refresh', { auth: { refreshJwt: 'a.b.c' } });
    await http.request('POST', '/v1/auth/password/signin', {
      auth: 'project',
      body: { loginId: 'x', skipped: undefined },
    });
    assert.equal(seen[0]!.url, 'http://x/v1/mgmt/user?loginId=a+b%40x');
    const headers = seen.map((s) => s.init.headers as Record<string, string>);
    assert.equal(headers[0]!.authorization, 'Bearer P1:K1');
    assert.equal(headers[0]!['content-type'], undefined);
    assert.equal(seen[0]!.init.body, undefined);
    assert.equal(headers[1]!.authorization, 'Bearer P1:a.b.c');
    assert.equal(seen[1]!.init.body, '{}');
    assert.equal(headers[2]!.authorization, 'Bearer P1');
    assert.equal(headers[2]!['x-descope-project-id'], 'P1');
    assert.equal(seen[2]!.init.body, '{"loginId":"x"}');
  });

  test('an authManagementKey is appended to auth calls (as the Node SDK does), never to management calls', async () => {
    const sentWith = async (keys: { managementKey?: string; authManagementKey?: string }) => {
      const { http, seen } = answering(200, '{}', {}, keys);
      await http.request('POST', '/v1/auth/otp/signin/email', { auth: 'project' });
      await http.request('POST', '/v1/auth/refresh', { auth: { refreshJwt: 'a.b.c' } });
      await http.request('GET', '/v1/mgmt/user', { auth: 'management' }).catch((e: unknown) => e);
      return seen.map((s) => (s.init.headers as Record<string, string>).authorization);
    };
    assert.deepEqual(await sentWith({ authManagementKey: 'AK' }), ['Bearer P1:AK', 'Bearer P1:a.b.c:AK']);
    assert.deepEqual(await sentWith({ authManagementKey: 'AK', managementKey: 'K1' }), [
      'Bearer P1:AK',
      'Bearer P1:a.b.c:AK',
      'Bearer P1:K1',
    ]);
    assert.deepEqual(await sentWith({ managementKey: 'K1' }), [
      'Bearer P1',
      'Bearer P1:a.b.c',
      'Bearer P1:K1',
    ]);
    const { http } = answering(200, '{}', {}, { authManagementKey: 'AK' });
    await assert.rejects(
      http.request('GET', '/v1/mgmt/user', { auth: 'management' }),
      /needs a management key/,
      'an authManagementKey does not stand in for managementKey',
    );
  });

  test('management calls without a management key fail before any request', async () => {
    const seen: string[] = [];
    const http = createHttp({
      baseUrl: 'http://x',
      projectId: 'P1',
      fetch: (async (url: string) => {
        seen.push(url);
        return new Response('{}');
      }) as typeof fetch,
      timeoutMs: 1000,
    });
    await assert.rejects(http.request('GET', '/v1/mgmt/tenant/all', { auth: 'management' }), TypeError);
    assert.deepEqual(seen, []);
  });

  test('Retry-After as seconds or as an HTTP date', () => {
    assert.equal(parseRetryAfter('5'), 5);
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
    const now = Date.parse('2030-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Tue, 01 Jan 2030 00:00:30 GMT', now), 30);
    assert.equal(parseRetryAfter('Tue, 01 Jan 2029 00:00:00 GMT', now), 0);
  });
});
