import { randomFillSync } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../store/db.ts';
import { deviceOf, geoOf } from './device.ts';
import { type AuditRow, insertAuditRows } from './repo.ts';
import { refreshAuditStats } from './retention.ts';
import type { AuditEventInput, AuditLog } from './types.ts';

/** Keys whose values are never stored in `data`, at any depth: the audit trail must not become a secret store. */
const SECRET_KEY =
  /pass(word|code)?|secret|token|jwt|cleartext|credential|private|api_?key|management_?key|^code$|^key$|^otp$/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[truncated]';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
    return out;
  }
  return value;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// Random bytes drawn 4 KiB at a time: one draw per event cost as much as deriving the event.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

/** `length` random base62 characters (unbiased: bytes ≥ 248 are skipped). Uniqueness only, never a secret. */
function randomSuffix(length: number): string {
  let out = '';
  while (out.length < length) {
    if (poolAt >= pool.length) {
      randomFillSync(pool);
      poolAt = 0;
    }
    const byte = pool[poolAt++]!;
    if (byte < 248) out += BASE62[byte % 62];
  }
  return out;
}

let sequence = 0;
/**
 * Ids sort like their records: time, then a per-process sequence, then randomness (unique across instances).
 * Records of the same millisecond (a sign-up's UserCreated and LoginSucceed) keep the order they happened in.
 */
export function sortableId(occurred: number): string {
  sequence = (sequence + 1) % 36 ** 4;
  const time = Math.max(0, Math.floor(occurred)).toString(36).padStart(9, '0');
  return `A${time}${sequence.toString(36).padStart(4, '0')}${randomSuffix(8)}`;
}

const clip = (value: string | undefined, max: number) => (value ?? '').slice(0, max);

export type AuditLogService = AuditLog & {
  flush(): Promise<void>;
  /** flushes and stops the timer; later records are written at once */
  close(): Promise<void>;
};

export type AuditLogOptions = {
  db: Db;
  logger: Logger;
  /** read country headers (`CF-IPCountry`, `X-Geo-Country`, `CloudFront-Viewer-Country`): only behind a trusted proxy */
  trustGeoHeaders?: boolean;
  /** answers whether a project exists (records for unknown projects are dropped) */
  projectExists?: (projectId: string) => Promise<boolean>;
  flushIntervalMs?: number;
  batchSize?: number;
  /** when to refresh the audit tables' planner statistics after start */
  statsDelayMs?: number;
  /** beyond this many queued records (store unreachable) the oldest are dropped, with a warning */
  maxQueue?: number;
};

/**
 * The audit log: `record` turns an event into a row synchronously and queues it, so a request never waits
 * for the audit write; the queue is written in batches (one transaction each) every `flushIntervalMs`, when
 * it reaches `batchSize`, before every search, and on close.
 */
export function createAuditLog(options: AuditLogOptions): AuditLogService {
  const { db, logger } = options;
  const interval = options.flushIntervalMs ?? 250;
  const batchSize = options.batchSize ?? 500;
  const maxQueue = options.maxQueue ?? 100_000;
  const known = new Map<string, { exists: boolean; at: number }>();
  let queue: AuditRow[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  // A store migrated from an older version may have no planner statistics yet; the maintenance timer
  // refreshes them every 10 minutes, this does it once soon after start.
  const statsTimer = setTimeout(() => {
    refreshAuditStats(db).catch((err) => logger.warn({ err }, 'audit statistics refresh failed'));
  }, options.statsDelayMs ?? 5_000);
  statsTimer.unref();

  async function exists(projectId: string): Promise<boolean> {
    if (!options.projectExists) return true;
    const hit = known.get(projectId);
    if (hit && Date.now() - hit.at < 60_000) return hit.exists;
    const found = await options.projectExists(projectId);
    known.set(projectId, { exists: found, at: Date.now() });
    return found;
  }

  async function writeOut(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, batchSize);
      queue = queue.slice(batch.length);
      let keep: AuditRow[] = [];
      try {
        for (const row of batch) if (await exists(row.project_id)) keep.push(row);
      } catch {
        keep = batch;
      }
      try {
        await insertAuditRows(db, keep);
      } catch (err) {
        // Logged without the rows: their data is the user's. One retry keeps a brief store hiccup from losing events.
        logger.warn({ err, count: keep.length }, 'audit write failed; retrying one by one');
        // one at a time, so a single unstorable event cannot sink the others
        let dropped = 0;
        for (const row of keep) {
          try {
            await insertAuditRows(db, [row]);
          } catch {
            dropped++;
          }
        }
        if (dropped > 0) logger.error({ dropped }, 'audit events could not be written and were dropped');
      }
    }
  }

  function flush(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    running = running.then(writeOut, writeOut);
    return running;
  }

  function schedule() {
    if (queue.length >= batchSize || closed) {
      void flush();
      return;
    }
    if (!timer) {
      timer = setTimeout(() => void flush(), interval);
      timer.unref();
    }
  }

  function toRow(e: AuditEventInput): AuditRow {
    const headers = e.request?.headers ?? {};
    const ua = headers['user-agent'];
    const loginIds = [...new Set((e.loginIds ?? []).filter((x) => typeof x === 'string' && x))].slice(0, 20);
    const tenants = [...new Set((e.tenants ?? []).filter((x) => typeof x === 'string' && x))].slice(0, 50);
    const data = (redact(e.data ?? {}) as Record<string, unknown>) ?? {};
    const row: AuditRow = {
      project_id: e.projectId,
      id: '',
      occurred: e.occurred ?? Date.now(),
      action: clip(e.action, 128),
      type: e.type === 'warn' || e.type === 'error' ? e.type : 'info',
      actor_id: clip(e.actorId, 256),
      user_id: clip(e.userId, 256),
      login_ids_json: JSON.stringify(loginIds),
      tenants_json: JSON.stringify(tenants),
      tenant_count: tenants.length,
      method: clip(e.method, 32),
      device: e.request ? deviceOf(Array.isArray(ua) ? ua[0] : ua) : '',
      geo: e.request && options.trustGeoHeaders ? geoOf(headers) : '',
      remote_address: clip(e.request?.ip, 64),
      data_json: JSON.stringify(data),
    };
    row.id = sortableId(row.occurred);
    return row;
  }

  return {
    record(event) {
      try {
        // a project id longer than any real one came from a forged header: nothing to record
        if (!event?.projectId || event.projectId.length > 64 || !event.action) return Promise.resolve();
        queue.push(toRow(event));
        if (queue.length > maxQueue) {
          const dropped = queue.length - maxQueue;
          queue = queue.slice(dropped);
          logger.warn({ dropped }, 'audit queue full; oldest events dropped');
        }
        schedule();
      } catch (err) {
        logger.warn({ err }, 'audit event could not be recorded');
      }
      return Promise.resolve();
    },
    flush,
    async close() {
      closed = true;
      clearTimeout(statsTimer);
      await flush();
    },
  };
}
