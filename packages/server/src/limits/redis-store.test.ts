import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { after, test } from 'node:test';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createRedisCounterStore } from './redis-store.ts';

/** A real Redis (CI runs one at this address); every key of this run lives under its own prefix. */
const REDIS_URL = process.env.LATCHKEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `latchkey-test-${randomBytes(6).toString('hex')}:`;
const admin = new Redis(REDIS_URL, { lazyConnect: true });

after(async () => {
  const keys = await admin.keys(`${PREFIX}*`);
  if (keys.length > 0) await admin.del(...keys);
  await admin.quit();
});

/** A logger whose lines the test can read. */
function recordingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const store = (url = REDIS_URL, logger = recordingLogger().logger) =>
  createRedisCounterStore({ url, logger, keyPrefix: PREFIX, commandTimeoutMs: 500 });

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for condition');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A free local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** A TCP relay to Redis that the test can cut and restore, to play an outage. */
async function relay() {
  const target = new URL(REDIS_URL);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    async cut() {
      const closed = new Promise((r) => server.close(r));
      for (const s of sockets) s.destroy();
      await closed;
    },
    async restore() {
      server.listen(port, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
    },
  };
}

test('counts in Redis under the key prefix, with the window as the key expiry', async () => {
  const s = store();
  try {
    assert.deepEqual(await s.hit('a', 60), { count: 1, resetSeconds: 60 });
    assert.equal((await s.hit('a', 60)).count, 2);
    assert.equal(await admin.get(`${PREFIX}a`), '2');
    const ttl = await admin.pttl(`${PREFIX}a`);
    assert.ok(ttl > 58_000 && ttl <= 60_000, `ttl ${ttl}`);
    assert.equal((await s.hit('b', 60)).count, 1, 'keys are counted apart');
  } finally {
    await s.close();
  }
});

test('concurrent hits are counted atomically', async () => {
  const s = store();
  try {
    const results = await Promise.all(Array.from({ length: 50 }, () => s.hit('burst', 60)));
    assert.deepEqual(
      results.map((r) => r.count).sort((x, y) => x - y),
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
  } finally {
    await s.close();
  }
});

test('two stores on one Redis (two instances) share their counters', async () => {
  const one = store();
  const two = store();
  try {
    assert.equal((await one.hit('shared', 60)).count, 1);
    assert.equal((await two.hit('shared', 60)).count, 2);
    assert.equal((await one.hit('shared', 60)).count, 3);
  } finally {
    await Promise.all([one.close(), two.close()]);
  }
});

test('a window ends when its key expires; the remaining time is rounded up', async () => {
  const s = store();
  try {
    assert.deepEqual(await s.hit('short', 1), { count: 1, resetSeconds: 1 });
    assert.equal((await s.hit('short', 1)).count, 2);
    await new Promise((r) => setTimeout(r, 1_100));
    assert.deepEqual(await s.hit('short', 1), { count: 1, resetSeconds: 1 });
  } finally {
    await s.close();
  }
});

test('a counter that lost its expiry gets one again instead of living forever', async () => {
  const s = store();
  try {
    await admin.set(`${PREFIX}stuck`, '7');
    assert.deepEqual(await s.hit('stuck', 30), { count: 8, resetSeconds: 30 });
    const ttl = await admin.pttl(`${PREFIX}stuck`);
    assert.ok(ttl > 0 && ttl <= 30_000, `ttl ${ttl}`);
  } finally {
    await s.close();
  }
});

test('Redis unreachable from the start: counts fall back to memory, one error is logged, nothing throws', async () => {
  const { logger, lines } = recordingLogger();
  const s = store(`redis://127.0.0.1:${await closedPort()}`, logger);
  try {
    assert.deepEqual(await s.hit('k', 60), { count: 1, resetSeconds: 60 });
    const started = Date.now();
    for (let i = 2; i <= 21; i++) assert.equal((await s.hit('k', 60)).count, i);
    assert.ok(Date.now() - started < 500, 'while Redis is down, calls do not wait for it');
    await new Promise((r) => setTimeout(r, 700));
    const errors = lines.filter((l) => l.level >= 50);
    assert.equal(errors.length, 1, JSON.stringify(lines));
    assert.match(errors[0]!.msg, /Redis unavailable/);
  } finally {
    await s.close();
  }
});

test('an outage mid-way falls back to memory, and the shared counters return with Redis', async () => {
  const r = await relay();
  const { logger, lines } = recordingLogger();
  const s = store(r.url, logger);
  try {
    assert.equal((await s.hit('k', 60)).count, 1);
    assert.equal((await s.hit('k', 60)).count, 2);
    await r.cut();
    assert.equal((await s.hit('k', 60)).count, 1, 'memory counts from zero');
    assert.equal((await s.hit('k', 60)).count, 2);
    assert.equal(lines.filter((l) => l.level >= 50).length, 1);
    await r.restore();
    await waitFor(() => lines.some((l) => /Redis reachable again/.test(l.msg)), 10_000);
    assert.equal((await s.hit('k', 60)).count, 3, 'Redis kept its count');
    assert.equal(await admin.get(`${PREFIX}k`), '3');
  } finally {
    await s.close();
    await r.cut();
  }
});

test('close ends the connection and is safe on a store that never connected', async () => {
  const used = store();
  await used.hit('c', 60);
  await used.close();
  await store().close();
  await store(`redis://127.0.0.1:${await closedPort()}`).close();
});
