import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildLogoutCookies,
  buildSessionCookies,
  parseCookies,
  readSessionCookies,
  tokensFromSetCookie,
} from './cookies.ts';

const response = {
  sessionJwt: 'aaa.bbb.ccc',
  refreshJwt: 'ddd.eee.fff',
  cookieDomain: 'example.com',
  cookiePath: '/app',
  cookieMaxAge: 3600,
};

/** What a browser sends back: the name=value part of each Set-Cookie. */
const asCookieHeader = (setCookies: string[]) => setCookies.map((c) => c.split(';')[0]).join('; ');

describe('cookie helpers', () => {
  test('builds DS and DSR from the JWT response attributes', () => {
    const [ds, dsr] = buildSessionCookies(response);
    assert.equal(
      ds,
      'DS=aaa.bbb.ccc; Path=/app; Max-Age=3600; Domain=example.com; HttpOnly; SameSite=Strict; Secure',
    );
    assert.equal(
      dsr,
      'DSR=ddd.eee.fff; Path=/app; Max-Age=3600; Domain=example.com; HttpOnly; SameSite=Strict; Secure',
    );
  });

  test('options override the response; no domain means a host-only cookie', () => {
    const [ds] = buildSessionCookies(
      { sessionJwt: 'a.b.c', cookieMaxAge: 60 },
      { secure: false, sameSite: 'Lax', httpOnly: false, path: '/x', maxAge: 10 },
    );
    assert.equal(ds, 'DS=a.b.c; Path=/x; Max-Age=10; SameSite=Lax');
  });

  test('no DSR cookie when the response has no refresh token', () => {
    const cookies = buildSessionCookies({ sessionJwt: 'a.b.c', cookieMaxAge: 60 });
    assert.equal(cookies.length, 1);
    assert.ok(cookies[0]!.startsWith('DS='));
  });

  test('round trip: Set-Cookie → Cookie header → tokens', () => {
    const header = asCookieHeader(buildSessionCookies(response));
    assert.deepEqual(readSessionCookies(header), {
      sessionJwt: response.sessionJwt,
      refreshJwt: response.refreshJwt,
    });
    assert.deepEqual(tokensFromSetCookie(buildSessionCookies(response)), {
      sessionJwt: response.sessionJwt,
      refreshJwt: response.refreshJwt,
    });
  });

  test('refuses values and attributes that would inject cookie attributes or headers', () => {
    assert.throws(() => buildSessionCookies({ sessionJwt: 'a.b.c; Domain=evil.com' }), TypeError);
    assert.throws(() => buildSessionCookies({ sessionJwt: 'a.b.c\r\nSet-Cookie: x=1' }), TypeError);
    assert.throws(() => buildSessionCookies(response, { domain: 'example.com; Secure=no' }), TypeError);
    assert.throws(() => buildSessionCookies({ ...response, cookiePath: '/\nX: y' }), TypeError);
  });

  test('logout cookies expire both tokens', () => {
    const cookies = buildLogoutCookies({ domain: 'example.com' });
    assert.deepEqual(
      cookies.map((c) => c.split(';')[0]),
      ['DS=', 'DSR='],
    );
    assert.ok(cookies.every((c) => c.includes('Max-Age=0') && c.includes('Domain=example.com')));
    assert.deepEqual(readSessionCookies(asCookieHeader(cookies)), {
      sessionJwt: undefined,
      refreshJwt: undefined,
    });
  });

  test('parses a Cookie header: whitespace, quotes, "=" in values, first occurrence wins', () => {
    assert.deepEqual(parseCookies(' a=1;b = "two" ; c=x=y;a=ignored; junk; =nameless'), {
      a: '1',
      b: 'two',
      c: 'x=y',
    });
    assert.deepEqual(parseCookies(undefined), {});
    assert.deepEqual(parseCookies(''), {});
    const odd = parseCookies('__proto__=x');
    assert.equal(Object.getPrototypeOf(odd), Object.prototype);
    assert.equal(Object.hasOwn(odd, '__proto__'), true);
  });
});
