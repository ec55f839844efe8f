import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES } from '../src/errors.ts';
import { registeredRoutes } from '../src/http/app.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (p: string) => fs.readFileSync(path.join(root, p), 'utf8');

let s: TestServer;
before(async () => {
  s = await startTestServer('sqlite');
});
after(() => s.close());

test('every route the server registers is listed in docs/api.md', () => {
  const documented = new Set(
    read('docs/api.md')
      .split('\n')
      .map((line) => line.split('|').map((cell) => cell.trim().replace(/`/g, '')))
      .filter((cells) => cells.length > 3)
      .map((cells) => `${cells[1]} ${cells[2]}`),
  );
  const missing = registeredRoutes().filter((r) => {
    const [method, url] = r.split(' ');
    return !documented.has(`${method} ${url!.replace(/:(\w+)/g, '{$1}')}`);
  });
  assert.deepEqual(missing, []);
});

test('every error code is documented in docs/errors.md and exported by the SDK', () => {
  const docs = read('docs/errors.md');
  const sdk = fs
    .readdirSync(path.join(root, 'packages/sdk/src'), { recursive: true })
    .filter((f) => String(f).endsWith('.ts'))
    .map((f) => read(path.join('packages/sdk/src', String(f))))
    .join('\n');
  for (const { code } of Object.values(ERROR_CODES)) {
    assert.ok(docs.includes(`\`${code}\``), `${code} missing from docs/errors.md`);
    assert.ok(sdk.includes(`'${code}'`), `${code} missing from the SDK's error codes`);
  }
});
