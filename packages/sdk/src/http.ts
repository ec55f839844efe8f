import { LatchkeyApiError } from './errors.ts';

/**
 * Which credential a call sends in `Authorization` (reference §1.3):
 * `project` → `Bearer <projectId>`, `management` → `Bearer <projectId>:<managementKey>`,
 * `{ refreshJwt }` → `Bearer <projectId>:<refreshJwt>`. With an `authManagementKey` configured, the two
 * auth forms append it, as the Node and Go SDKs do: `Bearer <projectId>:<authManagementKey>` and
 * `Bearer <projectId>:<refreshJwt>:<authManagementKey>`.
 */
export type CallAuth = 'project' | 'management' | { refreshJwt: string };

export type CallOptions = {
  auth: CallAuth;
  /** JSON body (POST/PATCH); `{}` is sent when absent */
  body?: unknown;
  /** query parameters; `undefined` values are left out */
  query?: Record<string, string | undefined>;
  /** aborts the request (in addition to the client's timeout) */
  signal?: AbortSignal;
};

export type HttpResponse<T> = { status: number; body: T; headers: Headers };

export type HttpConfig = {
  baseUrl: string;
  projectId: string;
  managementKey?: string;
  /** appended to the `Authorization` of every auth call (not management calls) */
  authManagementKey?: string;
  fetch: typeof fetch;
  timeoutMs: number;
};

export type Http = {
  send<T>(method: string, path: string, options: CallOptions): Promise<HttpResponse<T>>;
  request<T>(method: string, path: string, options: CallOptions): Promise<T>;
};

const SDK_HEADERS = { 'x-descope-sdk-name': 'latchkey-ts', 'x-descope-sdk-version': '0.1.0' };

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function parseBody(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

const asString = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The one place that talks HTTP: builds the Descope headers, sends JSON, parses JSON, and turns every
 * non-2xx answer into a {@link LatchkeyApiError}. Network failures and timeouts are thrown as they come.
 */
export function createHttp(config: HttpConfig): Http {
  const authKey = config.authManagementKey ? `:${config.authManagementKey}` : '';

  function authorization(auth: CallAuth): string {
    if (auth === 'project') return `Bearer ${config.projectId}${authKey}`;
    if (auth === 'management') {
      if (!config.managementKey) {
        throw new TypeError('This call needs a management key: pass managementKey to createLatchkeyClient');
      }
      return `Bearer ${config.projectId}:${config.managementKey}`;
    }
    return `Bearer ${config.projectId}:${auth.refreshJwt}${authKey}`;
  }

  async function send<T>(method: string, path: string, options: CallOptions): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = {
      ...SDK_HEADERS,
      accept: 'application/json',
      authorization: authorization(options.auth),
      'x-descope-project-id': config.projectId,
    };
    const hasBody = method !== 'GET' && method !== 'DELETE';
    if (hasBody) headers['content-type'] = 'application/json';
    const query = Object.entries(options.query ?? {}).filter(
      (e): e is [string, string] => e[1] !== undefined,
    );
    const url = `${config.baseUrl}${path}${query.length ? `?${new URLSearchParams(query)}` : ''}`;
    const res = await config.fetch(url, {
      method,
      headers,
      body: hasBody ? JSON.stringify(options.body ?? {}) : undefined,
      signal: options.signal
        ? AbortSignal.any([options.signal, AbortSignal.timeout(config.timeoutMs)])
        : AbortSignal.timeout(config.timeoutMs),
    });
    const text = await res.text();
    const parsed = parseBody(text);
    if (res.ok && parsed.ok) return { status: res.status, body: parsed.value as T, headers: res.headers };
    const error =
      parsed.ok && parsed.value && typeof parsed.value === 'object'
        ? (parsed.value as Record<string, unknown>)
        : {};
    throw new LatchkeyApiError({
      status: res.status,
      errorCode: asString(error.errorCode),
      errorDescription: asString(error.errorDescription) || (parsed.ok ? '' : 'Invalid server response'),
      errorMessage: asString(error.errorMessage) || (parsed.ok ? '' : text.slice(0, 500)),
      retryAfter: parseRetryAfter(res.headers.get('retry-after')),
      method,
      path,
    });
  }

  return {
    send,
    async request<T>(method: string, path: string, options: CallOptions): Promise<T> {
      return (await send<T>(method, path, options)).body;
    },
  };
}
