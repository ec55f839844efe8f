import assert from 'node:assert/strict';
import { type StoreKind, startTestServer, type TestServer } from '../../../server/test/support/server.ts';
import { createLatchkeyClient, type LatchkeyClient, type LatchkeyClientOptions } from '../../src/index.ts';

export { STORES } from '../../../server/test/support/server.ts';

export type Call = { method: string; path: string; at: number };

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
    calls.push({ method: init?.method ?? 'GET', path: url.pathname, at: Date.now() });
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
  /** another client of the same server, with its own JWKS cache and options */
  newClient(
    options?: Partial<LatchkeyClientOptions>,
  ): LatchkeyClient & { wire: ReturnType<typeof recordingFetch> };
  close(): Promise<void>;
};

/** A real Latchkey server on `store` and an SDK client (with the management key) pointed at it. */
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
  return { server, client, wire: client.wire, newClient, close: () => server.close() };
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
