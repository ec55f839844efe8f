import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMemoryCounterStore } from './memory-store.ts';

const clock = (start = 1_000_000) => {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

test('counts hits in a fixed window and reports the whole seconds left', async () => {
  const c = clock();
  const store = createMemoryCounterStore(c.now);
  assert.deepEqual(await store.hit('k', 60), { count: 1, resetSeconds: 60 });
  c.advance(10_500);
  assert.deepEqual(await store.hit('k', 60), { count: 2, resetSeconds: 50 }, 'rounds the 49.5 s left up');
  c.advance(49_000);
  assert.deepEqual(await store.hit('k', 60), { count: 3, resetSeconds: 1 }, 'never answers 0 seconds');
});

test('the window starts at the first hit and a new one starts once it has passed', async () => {
  const c = clock();
  const store = createMemoryCounterStore(c.now);
  for (let i = 1; i <= 5; i++) assert.equal((await store.hit('k', 10)).count, i);
  c.advance(9_999);
  assert.equal((await store.hit('k', 10)).count, 6, 'still inside the window');
  c.advance(1);
  assert.deepEqual(await store.hit('k', 10), { count: 1, resetSeconds: 10 }, 'a fresh window');
});

test('keys are counted apart', async () => {
  const store = createMemoryCounterStore(clock().now);
  await store.hit('a', 60);
  await store.hit('a', 60);
  assert.equal((await store.hit('b', 60)).count, 1);
  assert.equal((await store.hit('a', 60)).count, 3);
});

test('expired windows are swept and do not carry counts over', async () => {
  const c = clock();
  const store = createMemoryCounterStore(c.now);
  for (let i = 0; i < 3; i++) await store.hit(`old-${i}`, 1);
  c.advance(61_000);
  await store.hit('trigger', 60);
  for (let i = 0; i < 3; i++) assert.equal((await store.hit(`old-${i}`, 1)).count, 1);
});

test('close forgets every counter', async () => {
  const store = createMemoryCounterStore(clock().now);
  await store.hit('k', 60);
  await store.close();
  assert.equal((await store.hit('k', 60)).count, 1);
});
