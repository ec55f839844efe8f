import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from './templates.ts';

test('built-in templates carry the code, the name and the expiry', () => {
  const t = render('email', 'otp', { code: '123456', name: 'Ada', expiresInMinutes: 5 });
  assert.match(t.subject, /123456/);
  assert.match(t.text, /Hello Ada,[\s\S]*123456[\s\S]*5 minutes/);
  assert.match(t.html, /<strong>123456<\/strong>/);
});

test('HTML escapes every variable; text keeps it as written', () => {
  const t = render('email', 'magiclink', { link: 'https://app.test/v?t=a&b=c', name: '<script>x</script>' });
  assert.match(t.html, /&lt;script&gt;x&lt;\/script&gt;/);
  assert.match(t.html, /href="https:\/\/app\.test\/v\?t=a&amp;b=c"/);
  assert.match(t.text, /Hello <script>x<\/script>,/);
});

test('the name falls back to the login id', () => {
  assert.match(
    render('sms', 'otp', { code: '1', loginId: '+1555' }, { text: { otp: '{{name}}:{{code}}' } }).text,
    /^\+1555:1$/,
  );
});

test('templateOptions add variables but never replace the server-set ones', () => {
  const t = render(
    'sms',
    'otp',
    { code: '424242', templateOptions: { code: '000000', link: 'https://evil.test', appName: 'Acme' } },
    { text: { otp: '{{appName}} {{code}} {{link}}' } },
  );
  assert.equal(t.text, 'Acme 424242 ');
});

test('a templateId picks the project template of that name, else the kind', () => {
  const overrides = { text: { otp: 'kind {{code}}', promo: 'custom {{code}}' } };
  assert.equal(render('sms', 'otp', { code: '1' }, overrides, 'promo').text, 'custom 1');
  assert.equal(render('sms', 'otp', { code: '1' }, overrides, 'missing').text, 'kind 1');
});

test('a custom email body replaces both parts; the subject falls back to the built-in', () => {
  const t = render('email', 'otp', { code: '9' }, { email: { otp: { text: 'only text {{code}}' } } });
  assert.equal(t.text, 'only text 9');
  assert.equal(t.html, '');
  assert.match(t.subject, /Your sign-in code: 9/);
});

test('voice reads the code digit by digit; values are never expanded twice', () => {
  assert.equal(render('voice', 'otp', { code: '123' }).text, 'Your code is 1 2 3');
  assert.equal(
    render('sms', 'otp', { code: '5', name: '{{code}}' }, { text: { otp: '{{name}}' } }).text,
    '{{code}}',
  );
});

test('enchanted links list their numbers', () => {
  const links = ['https://a.test/e?t=x&n=11', 'https://a.test/e?t=y&n=12'];
  const t = render('email', 'enchantedlink', { links, linkId: '12' });
  assert.match(t.text, /1\. https:\/\/a\.test\/e\?t=x&n=11\n2\. https:\/\/a\.test\/e\?t=y&n=12/);
  assert.match(t.html, /<a href="https:\/\/a\.test\/e\?t=x&amp;n=11">11<\/a>/);
});
