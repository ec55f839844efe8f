import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deviceOf, geoOf } from './device.ts';

test('User-Agent → Descope device class', () => {
  const cases: [string | undefined, string][] = [
    [undefined, 'Unknown'],
    ['', 'Unknown'],
    ['node', 'Unknown'],
    ['curl/8.5.0', 'Unknown'],
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'Bot'],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 HeadlessChrome/126.0 Safari/537.36',
      'Bot',
    ],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148', 'Mobile'],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36',
      'Mobile',
    ],
    ['Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148', 'Tablet'],
    ['Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 Chrome/126.0 Safari/537.36', 'Tablet'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36', 'Desktop'],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15',
      'Desktop',
    ],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0', 'Desktop'],
  ];
  for (const [ua, expected] of cases) assert.equal(deviceOf(ua), expected, String(ua));
});

test('country from the proxy headers: two letters, upper-cased; unknown markers ignored', () => {
  assert.equal(geoOf({ 'cf-ipcountry': 'us' }), 'US');
  assert.equal(geoOf({ 'x-geo-country': 'IL' }), 'IL');
  assert.equal(geoOf({ 'cloudfront-viewer-country': 'FR' }), 'FR');
  assert.equal(geoOf({ 'cf-ipcountry': 'XX', 'x-geo-country': 'DE' }), 'DE');
  assert.equal(geoOf({ 'cf-ipcountry': 'T1' }), '');
  assert.equal(geoOf({ 'cf-ipcountry': 'USA' }), '');
  assert.equal(geoOf({}), '');
});
