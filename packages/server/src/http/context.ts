import type { Logger } from 'pino';
import type { AuditLog } from '../audit/types.ts';
import type { Config } from '../config.ts';
import type { createDelivery } from '../delivery/service.ts';
import type { RateLimits } from '../limits/rate-limits.ts';
import type { ProjectRepo } from '../projects/repo.ts';
import type { Store } from '../store/db.ts';
import type { KeyStore } from '../tokens/keys.ts';
import type { SessionService } from '../tokens/sessions.ts';
import type { UserRepo } from '../users/repo.ts';

/** What every capability's routes receive: the store and the shared services, passed in, never imported. */
export type AppContext = {
  config: Config;
  store: Store;
  logger: Logger;
  projects: ProjectRepo;
  keys: KeyStore;
  users: UserRepo;
  sessions: SessionService;
  publicUrl: () => string;
  delivery: ReturnType<typeof createDelivery>;
  limits: RateLimits;
  audit: AuditLog;
  /** set when shutdown begins */
  lifecycle: { closing: boolean };
};
