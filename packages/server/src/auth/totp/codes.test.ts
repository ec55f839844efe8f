import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Secret, URI } from 'otpauth';
import { enrollment, matchStep, newTotpSecret, provisioningUri, stepAt } from './codes.ts';

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890"; the 6-digit codes are the
// last six digits of the published 8-digit values.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: [number, string][] = [
  [59, '287082'],
  [1_111_111_109, '081804'],
  [1_111_111_111, '050471'],
  [1_234_567_890, '005924'],
  [2_000_000_000, '279037'],
];

describe('TOTP codes', () => {
  test('the RFC 6238 vectors match at their own time, in their own step', () => {
    for (const [seconds, code] of RFC_VECTORS) {
      assert.equal(
        matchStep(RFC_SECRET, code, seconds * 1000, null),
        Math.floor(seconds / 30),
        `T=${seconds}`,
      );
    }
  });

  test('the step before and after are accepted; two steps away is not', () => {
    // 287082 is the code of step 1 (T = 30..59 s)
    assert.equal(matchStep(RFC_SECRET, '287082', 15_000, null), 1, 'one step early (clock behind)');
    assert.equal(matchStep(RFC_SECRET, '287082', 89_000, null), 1, 'one step late');
    assert.equal(matchStep(RFC_SECRET, '287082', 90_000, null), null, 'two steps late');
    assert.equal(matchStep(RFC_SECRET, '287082', 0, null), 1, 'step 0 still sees step 1');
  });

  test('a step at or before the last accepted one is never matched (replay)', () => {
    assert.equal(matchStep(RFC_SECRET, '287082', 59_000, 1), null);
    assert.equal(matchStep(RFC_SECRET, '287082', 59_000, 2), null);
    assert.equal(matchStep(RFC_SECRET, '287082', 59_000, 0), 1);
  });

  test('wrong, short, long and non-numeric codes do not match', () => {
    for (const code of ['287083', '28708', '2870820', 'abcdef', ' 287082', '', '28708２']) {
      assert.equal(matchStep(RFC_SECRET, code, 59_000, null), null, JSON.stringify(code));
    }
  });

  test('stepAt counts 30-second steps since the epoch', () => {
    assert.equal(stepAt(0), 0);
    assert.equal(stepAt(29_999), 0);
    assert.equal(stepAt(30_000), 1);
    assert.equal(stepAt(59_000), 1);
  });

  test('a new secret is 160 random bits in unpadded base32', () => {
    const a = newTotpSecret();
    const b = newTotpSecret();
    assert.match(a, /^[A-Z2-7]{32}$/);
    assert.equal(Secret.fromBase32(a).buffer.byteLength, 20);
    assert.notEqual(a, b);
  });

  test('the provisioning URI names the issuer and account and carries the standard parameters', () => {
    const uri = provisioningUri('Acme Corp', 'ada@example.com', RFC_SECRET);
    const url = new URL(uri);
    assert.equal(url.protocol, 'otpauth:');
    assert.equal(url.host, 'totp');
    assert.equal(decodeURIComponent(url.pathname), '/Acme Corp:ada@example.com');
    assert.equal(url.searchParams.get('secret'), RFC_SECRET);
    assert.equal(url.searchParams.get('issuer'), 'Acme Corp');
    assert.equal(url.searchParams.get('algorithm'), 'SHA1');
    assert.equal(url.searchParams.get('digits'), '6');
    assert.equal(url.searchParams.get('period'), '30');
    const parsed = URI.parse(uri);
    assert.equal(parsed.secret.base32, RFC_SECRET);
    assert.equal(parsed.issuer, 'Acme Corp');
    assert.equal(parsed.label, 'ada@example.com');
  });

  test('enrollment answers the key, its URI and a base64 PNG of the QR code', async () => {
    const e = await enrollment('Acme', 'ada@example.com', RFC_SECRET);
    assert.equal(e.key, RFC_SECRET);
    assert.equal(e.provisioningURL, provisioningUri('Acme', 'ada@example.com', RFC_SECRET));
    assert.doesNotMatch(e.image, /^data:/);
    const png = Buffer.from(e.image, 'base64');
    assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a');
    assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
    assert.equal(png.readUInt32BE(16), png.readUInt32BE(20), 'square');
    assert.ok(png.readUInt32BE(16) >= 21, 'at least one pixel per module of the smallest QR code');
  });
});
