import assert from 'node:assert/strict';
import DescopeClient from '@descope/node-sdk';
import { randomBase62 } from '../../src/util.ts';
import { type StoreKind, startTestServer, type TestServer } from '../support/server.ts';

/**
 * The drop-in proof: these suites drive a real Latchkey server only through the official
 * `@descope/node-sdk`, configured exactly as an app would (project id, base URL, management key or
 * `authManagementKey`).
 * The only addition is a recording `fetch` (an option the SDK itself offers) so tests can see what
 * went over the wire, e.g. the license handshake.
 */
export type Sdk = ReturnType<typeof DescopeClient>;
/** The user object as the SDK types it. */
export type UserResponse = NonNullable<Awaited<ReturnType<Sdk['management']['user']['load']>>['data']>;

export type WireCall = {
  method: string;
  path: string;
  search: string;
  headers: Headers;
  body: string | undefined;
  status: number;
  responseHeaders: Headers;
  responseText: string;
};

export type SdkServer = {
  s: TestServer;
  /** configured with the management key: management and auth calls */
  mgmt: Sdk;
  /** configured with the project id only, like a public-facing app */
  auth: Sdk;
  /**
   * configured with the management key as `authManagementKey`, like a backend that signs users in: its auth
   * calls carry the key (`Bearer P:K`, `Bearer P:R:K`), so they may pass `loginOptions.customClaims`
   */
  backend: Sdk;
  /** every HTTP exchange any client made, in order */
  calls: WireCall[];
  /** a further client on the same server (e.g. a wrong management key) */
  client(options?: ClientKeys): Sdk;
  close(): Promise<void>;
};

export type ClientKeys = { managementKey?: string; authManagementKey?: string };

type SdkResponseLike<T> = {
  ok: boolean;
  code?: number;
  data?: T;
  error?: { errorCode: string; errorDescription: string; errorMessage?: string };
};

export async function startSdkServer(store: StoreKind): Promise<SdkServer> {
  const s = await startTestServer(store);
  const calls: WireCall[] = [];
  const recordingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const res = await fetch(input, init);
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    calls.push({
      method: init?.method ?? 'GET',
      path: url.pathname,
      search: url.search,
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : undefined,
      status: res.status,
      responseHeaders: res.headers,
      responseText: await res.clone().text(),
    });
    return res;
  };
  const client = (options: ClientKeys = {}): Sdk =>
    DescopeClient({
      projectId: s.projectId,
      baseUrl: s.url,
      ...(options.managementKey ? { managementKey: options.managementKey } : {}),
      ...(options.authManagementKey ? { authManagementKey: options.authManagementKey } : {}),
      fetch: recordingFetch as typeof fetch,
    });
  const mgmt = client({ managementKey: s.managementKey });
  const auth = client();
  const backend = client({ authManagementKey: s.managementKey });
  // The SDK's license handshake is fire-and-forget; let it land before the suite starts.
  await waitFor(() => calls.some((c) => c.path === '/v1/mgmt/license'));
  return { s, mgmt, auth, backend, calls, client, close: () => s.close() };
}

export async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Asserts an SDK call succeeded and returns its data. */
export async function ok<T>(pending: Promise<SdkResponseLike<T>>): Promise<T> {
  const res = await pending;
  assert.equal(res.ok, true, `expected success, got ${res.code} ${JSON.stringify(res.error)}`);
  return res.data as T;
}

/** Asserts an SDK call failed with the given status (and error code) and returns the error body. */
export async function fails<T>(
  pending: Promise<SdkResponseLike<T>>,
  status: number,
  errorCode?: string,
): Promise<{ errorCode: string; errorDescription: string; errorMessage?: string }> {
  const res = await pending;
  assert.equal(res.ok, false, `expected failure ${status}, got success ${JSON.stringify(res.data)}`);
  assert.equal(res.code, status, `expected status ${status}, got ${res.code} ${JSON.stringify(res.error)}`);
  assert.ok(res.error?.errorCode, 'error body carries a non-empty errorCode');
  if (errorCode) assert.equal(res.error.errorCode, errorCode, JSON.stringify(res.error));
  return res.error;
}

/** JWT payload, unverified (for assertions; the SDK itself does the verification). */
export const claims = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());

/** A fresh, unique suffix so tests sharing one server never collide. */
export const uid = (prefix: string): string => `${prefix}${randomBase62(8).toLowerCase()}`;

/** A password that satisfies the default policy. */
export const PASSWORD = 'Corr3ct-Horse-Battery';

/** A dev-outbox message as `GET /v1/mgmt/outbox` answers it. */
export type InboxMessage = {
  channel: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
};

/**
 * What the server "sent" to `to`, newest first, read the way a newcomer's tooling does: the dev outbox's JSON
 * endpoint with the management key (no SDK has a call for it; it is Latchkey's, not Descope's).
 */
export async function inbox(s: TestServer, to: string): Promise<InboxMessage[]> {
  const res = await fetch(`${s.url}/v1/mgmt/outbox?to=${encodeURIComponent(to)}`, {
    headers: { authorization: s.management },
  });
  assert.equal(res.status, 200, `outbox: ${res.status}`);
  return ((await res.json()) as { messages: InboxMessage[] }).messages;
}

/** The newest message to `to`; fails when there is none. */
export async function newestMessage(s: TestServer, to: string): Promise<InboxMessage> {
  const [newest] = await inbox(s, to);
  assert.ok(newest, `no message to ${to}`);
  return newest;
}

/** The links of a message that carry a token (`?t=`), with the enchanted-link number (`n`) when present. */
export function linksIn(message: InboxMessage): { url: string; token: string; n?: string }[] {
  return [...message.text.matchAll(/https?:\/\/[^\s"'<>]+/g)]
    .map((m) => new URL(m[0]))
    .filter((url) => url.searchParams.has('t'))
    .map((url) => ({
      url: url.toString(),
      token: url.searchParams.get('t')!,
      n: url.searchParams.get('n') ?? undefined,
    }));
}

/** Disables the project's rate limits (a Latchkey setting, not in Descope's API), so bursts of test calls pass. */
export async function disableRateLimits(s: TestServer): Promise<void> {
  const res = await fetch(`${s.url}/v1/mgmt/project/settings`, {
    method: 'POST',
    headers: { authorization: s.management, 'content-type': 'application/json' },
    body: JSON.stringify({ rateLimits: { enabled: false } }),
  });
  assert.equal(res.status, 200, `settings: ${res.status} ${await res.text()}`);
}
