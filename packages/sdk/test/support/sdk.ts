import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { type StoreKind, startTestServer, type TestServer } from '../../../server/test/support/server.ts';
import { createLatchkeyClient, type LatchkeyClient, type LatchkeyClientOptions } from '../../src/index.ts';

export { STORES } from '../../../server/test/support/server.ts';

export type Call = { method: string; path: string; at: number; authorization: string | null };

/**
 * A real fetch that records every request, so tests can count what the SDK sends over the wire
 * (e.g. how often it fetches the JWKS).
 */
export function recordingFetch(): {
  fetch: typeof fetch;
  calls: Call[];
  count(path: string | RegExp): number;
} {
  const calls: Call[] = [];
  const recording = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    calls.push({
      method: init?.method ?? 'GET',
      path: url.pathname,
      at: Date.now(),
      authorization: new Headers(init?.headers).get('authorization'),
    });
    return fetch(input, init);
  }) as typeof fetch;
  return {
    fetch: recording,
    calls,
    count: (path) =>
      calls.filter((c) => (typeof path === 'string' ? c.path === path : path.test(c.path))).length,
  };
}

export type Harness = {
  server: TestServer;
  client: LatchkeyClient;
  wire: ReturnType<typeof recordingFetch>;
  /**
   * A backend client: `authManagementKey` (the server's management key) and no `managementKey`, so its auth
   * calls may carry `loginOptions.customClaims`.
   */
  backend: LatchkeyClient & { wire: ReturnType<typeof recordingFetch> };
  /** another client of the same server, with its own JWKS cache and options */
  newClient(
    options?: Partial<LatchkeyClientOptions>,
  ): LatchkeyClient & { wire: ReturnType<typeof recordingFetch> };
  close(): Promise<void>;
};

/**
 * A real Latchkey server on `store` and SDK clients pointed at it: `client` with the management key (for
 * management calls; its auth calls carry no key, like a public app's) and `backend` with it as
 * `authManagementKey`.
 */
export async function startHarness(
  store: StoreKind,
  options: Partial<LatchkeyClientOptions> = {},
): Promise<Harness> {
  const server = await startTestServer(store);
  const newClient = (extra: Partial<LatchkeyClientOptions> = {}) => {
    const wire = recordingFetch();
    const client = createLatchkeyClient({
      projectId: server.projectId,
      baseUrl: server.url,
      managementKey: server.managementKey,
      fetch: wire.fetch,
      ...options,
      ...extra,
    });
    return Object.assign(client, { wire });
  };
  const client = newClient();
  const backend = newClient({ managementKey: undefined, authManagementKey: server.managementKey });
  return { server, client, wire: client.wire, backend, newClient, close: () => server.close() };
}

/** Awaits a promise that must reject, and returns the error for further assertions. */
export async function rejection<E = unknown>(
  promise: Promise<unknown>,
  type?: new (...args: never[]) => E,
): Promise<E> {
  const err = await promise.then(
    () => assert.fail('expected the call to fail'),
    (e: unknown) => e,
  );
  if (type) assert.ok(err instanceof type, `expected ${type.name}, got ${String(err)}`);
  return err as E;
}

export const strongPassword = 'Str0ng-Passw0rd';

let counter = 0;
/** A login id unique within the test run. */
export const uniqueLogin = (prefix = 'user') =>
  `${prefix}-${Date.now().toString(36)}-${++counter}@example.com`;

/** A dev-outbox message, as `GET /v1/mgmt/outbox` answers it. */
export type OutboxMessage = { channel: string; kind: string; to: string; subject: string; text: string };

/**
 * The messages the server "sent" to `to`, newest first, read the way a developer's tooling reads them:
 * from the dev outbox's JSON endpoint, with the management key.
 */
export async function outbox(server: TestServer, to: string): Promise<OutboxMessage[]> {
  const res = await fetch(`${server.url}/v1/mgmt/outbox?to=${encodeURIComponent(to)}`, {
    headers: { authorization: server.management },
  });
  assert.equal(res.status, 200, `outbox: ${res.status} ${await res.clone().text()}`);
  return ((await res.json()) as { messages: OutboxMessage[] }).messages;
}

/** The newest message to `to`; fails the test when there is none. */
export async function lastMessage(server: TestServer, to: string): Promise<OutboxMessage> {
  const [newest] = await outbox(server, to);
  assert.ok(newest, `no message to ${to}`);
  return newest;
}

/** The one-time code in a message (voice messages spell the digits out one by one). */
export function codeIn(message: OutboxMessage): string {
  const match = /\b(\d(?:[ ,.]{0,2}\d){3,9})\b/.exec(message.text);
  assert.ok(match, `no code in: ${message.text}`);
  return match[1]!.replace(/\D/g, '');
}

/** The links (`…?t=<token>…`) in a message, with their token and, for enchanted links, their number. */
export function linksIn(message: OutboxMessage): { url: string; token: string; n?: string }[] {
  return [...message.text.matchAll(/https?:\/\/[^\s"'<>]+/g)]
    .map((m) => new URL(m[0]))
    .filter((url) => url.searchParams.has('t'))
    .map((url) => ({
      url: url.toString(),
      token: url.searchParams.get('t')!,
      n: url.searchParams.get('n') ?? undefined,
    }));
}

/**
 * What an authenticator app shows for a base32 `key` at `at` (RFC 6238: HMAC-SHA-1, 30 s steps, 6 digits),
 * computed here independently of the server.
 */
export function totpCode(key: string, at = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of key.replace(/=+$/, '').toUpperCase()) {
    const value = alphabet.indexOf(ch);
    assert.ok(value >= 0, `not base32: ${key}`);
    bits += value.toString(2).padStart(5, '0');
  }
  const secret = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => Number.parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Waits out the end of a 30-second TOTP step, so a code cannot turn stale between computing and sending it. */
export async function awayFromTotpStepEdge(marginMs = 3_000): Promise<void> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < marginMs) await new Promise((r) => setTimeout(r, left + 200));
}
