import type { Http } from '../http.ts';

/** Device classes the server derives from the User-Agent. */
export type AuditDevice = 'Bot' | 'Mobile' | 'Desktop' | 'Tablet' | 'Unknown';

/**
 * One audit record. `occurred` is epoch milliseconds (the wire sends it as a string; the SDK parses it) and
 * the wire's `externalIds` are `loginIds` here, as in every Descope SDK.
 *
 * @example
 * ```ts
 * const { audits } = await client.management.audit.search({ actions: ['LoginFailed'] });
 * for (const a of audits) console.log(new Date(a.occurred), a.loginIds, a.data.error_message);
 * ```
 */
export type AuditRecord = {
  projectId: string;
  userId: string;
  action: string;
  type: 'info' | 'warn' | 'error' | string;
  actorId: string;
  occurred: number;
  device: AuditDevice | '';
  method: string;
  geo: string;
  remoteAddress: string;
  loginIds: string[];
  tenants: string[];
  data: Record<string, unknown>;
};

/**
 * Audit search filters; every list matches any of its values, and all filters must match. Searches reach
 * back 30 days at most, newest first.
 *
 * @example
 * ```ts
 * const options: AuditSearchOptions = { loginIds: ['ada@example.com'], from: Date.now() - 86_400_000, size: 100 };
 * ```
 */
export type AuditSearchOptions = {
  userIds?: string[];
  actions?: string[];
  excludedActions?: string[];
  devices?: AuditDevice[];
  /** otp, totp, magiclink, enchantedlink, password, accesskey, oauth, saml ... */
  methods?: string[];
  /** country codes, e.g. `US` */
  geos?: string[];
  remoteAddresses?: string[];
  /** sent as `externalIds` */
  loginIds?: string[];
  tenants?: string[];
  /** only records without tenants */
  noTenants?: boolean;
  /** case-insensitive start of a login id, e-mail domain, user or actor id, tenant or address */
  text?: string;
  /** epoch ms; at most 30 days back */
  from?: number;
  /** epoch ms; now when absent */
  to?: number;
  /** page size, 1–1000 (default 1000) */
  size?: number;
  /** zero-based page */
  page?: number;
};

/**
 * A custom audit event, e.g. from your own backend.
 *
 * @example
 * ```ts
 * const event: AuditEventOptions = { action: 'InvoicePaid', type: 'info', actorId: 'billing', tenantId: 'acme', data: { amount: 42 } };
 * ```
 */
export type AuditEventOptions = {
  action: string;
  type: 'info' | 'warn' | 'error';
  actorId: string;
  tenantId: string;
  userId?: string;
  data?: Record<string, unknown>;
};

type WireAudit = Omit<AuditRecord, 'occurred' | 'loginIds'> & { occurred: string; externalIds?: string[] };

/**
 * The audit trail (reference §3.11): every sign-in, sign-up, refresh, logout and management change is
 * recorded by the server; `search` reads it back and `createEvent` adds your own events.
 *
 * @example
 * ```ts
 * await client.management.audit.createEvent({ action: 'ReportExported', type: 'info', actorId: 'reports', tenantId: 'acme' });
 * const { audits, total } = await client.management.audit.search({ tenants: ['acme'] });
 * ```
 */
export type AuditApi = {
  /**
   * Searches the last 30 days, newest first. `total` counts every match (up to 10,000).
   *
   * @example
   * ```ts
   * const { audits, total } = await client.management.audit.search({ userIds: [userId], actions: ['LoginSucceed'] });
   * ```
   */
  search(options?: AuditSearchOptions): Promise<{ audits: AuditRecord[]; total: number }>;
  /**
   * Records a custom event. A bad `type` or a missing field → 400 `E011002`/`E011003`.
   *
   * @example
   * ```ts
   * await client.management.audit.createEvent({ action: 'InvoicePaid', type: 'info', actorId: 'billing', tenantId: 'acme' });
   * ```
   */
  createEvent(event: AuditEventOptions): Promise<void>;
};

export function createAuditApi(http: Http): AuditApi {
  return {
    async search(options = {}) {
      const { loginIds, ...rest } = options;
      const body = await http.request<{ audits: WireAudit[]; total: number }>(
        'POST',
        '/v1/mgmt/audit/search',
        {
          auth: 'management',
          body: { ...rest, ...(loginIds ? { externalIds: loginIds } : {}) },
        },
      );
      return {
        total: body.total,
        audits: body.audits.map(({ externalIds, occurred, ...a }) => ({
          ...a,
          occurred: Number(occurred),
          loginIds: externalIds ?? [],
        })),
      };
    },
    async createEvent(event) {
      await http.request('POST', '/v1/mgmt/audit/event', { auth: 'management', body: event });
    },
  };
}
