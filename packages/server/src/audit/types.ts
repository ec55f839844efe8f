/**
 * The audit contract every capability records through (`ctx.audit.record`).
 * Action names follow Descope's (`LoginSucceed`, `LoginFailed`, `UserCreated`, ...): see docs/audit.md.
 */
export type AuditType = 'info' | 'warn' | 'error';

export type AuditEventInput = {
  projectId: string;
  action: string;
  type?: AuditType;
  /** who did it: a user id, an access-key id, or the management key ("management") */
  actorId?: string;
  /** the user the event is about */
  userId?: string;
  loginIds?: string[];
  tenants?: string[];
  /** otp | totp | magiclink | enchantedlink | oauth | saml | password | accesskey ... */
  method?: string;
  data?: Record<string, unknown>;
  /** epoch milliseconds; now when absent */
  occurred?: number;
  /** the HTTP request the event came from: remote address and device class are read from it */
  request?: { ip: string; headers: Record<string, string | string[] | undefined> };
};

export type AuditLog = {
  /** Records an event. Never throws into the caller: a failed audit write is logged, not fatal to the request. */
  record(event: AuditEventInput): Promise<void>;
  /** Writes whatever is still queued (record() queues; searches flush first so they see every event). */
  flush?(): Promise<void>;
};
