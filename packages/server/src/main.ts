import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { trackExplicit } from './audit/hooks.ts';
import { auditRoutes } from './audit/routes.ts';
import { createAuditLog } from './audit/service.ts';
import { accessKeyExchangeRoutes } from './auth/accesskey/routes.ts';
import { enchantedLinkRoutes } from './auth/enchantedlink/routes.ts';
import { magicLinkRoutes } from './auth/magiclink/routes.ts';
import { otpRoutes } from './auth/otp/routes.ts';
import { passwordRoutes } from './auth/password/routes.ts';
import { sessionRoutes } from './auth/session/routes.ts';
import { totpRoutes } from './auth/totp/routes.ts';
import { authzRoutes } from './authz/routes.ts';
import type { Config } from './config.ts';
import { deliveryRoutes } from './delivery/routes.ts';
import { createDelivery } from './delivery/service.ts';
import { buildApp, type RoutePlugin } from './http/app.ts';
import type { AppContext } from './http/context.ts';
import { createRequestAuth } from './http/request-auth.ts';
import { createMemoryCounterStore } from './limits/memory-store.ts';
import { createRateLimits } from './limits/rate-limits.ts';
import { createLogger } from './logger.ts';
import { accessKeyRoutes } from './mgmt/accesskeys/routes.ts';
import { attributeRoutes } from './mgmt/attributes/routes.ts';
import { flowRoutes } from './mgmt/flows/routes.ts';
import { jwtRoutes } from './mgmt/jwt/routes.ts';
import { permissionRoutes } from './mgmt/permissions/routes.ts';
import { projectRoutes } from './mgmt/project/routes.ts';
import { roleRoutes } from './mgmt/roles/routes.ts';
import { settingsRoutes } from './mgmt/settings/routes.ts';
import { tenantRoutes } from './mgmt/tenants/routes.ts';
import { tenantSettingsRoutes } from './mgmt/tenants/settings-routes.ts';
import { testUtilityRoutes } from './mgmt/tests/routes.ts';
import { userRoutes } from './mgmt/users/routes.ts';
import { type BootstrapResult, bootstrap } from './projects/bootstrap.ts';
import { createProjectRepo } from './projects/repo.ts';
import { openStore, type Store } from './store/db.ts';
import { startMaintenance } from './store/maintenance.ts';
import { migrate } from './store/migrations.ts';
import { systemRoutes } from './system/routes.ts';
import { createKeyStore } from './tokens/keys.ts';
import { createSessionService } from './tokens/sessions.ts';
import { createUserRepo } from './users/repo.ts';

export const routePlugins: RoutePlugin[] = [
  systemRoutes,
  passwordRoutes,
  otpRoutes,
  magicLinkRoutes,
  enchantedLinkRoutes,
  testUtilityRoutes,
  sessionRoutes,
  tenantRoutes,
  tenantSettingsRoutes,
  jwtRoutes,
  userRoutes,
  attributeRoutes,
  roleRoutes,
  permissionRoutes,
  settingsRoutes,
  totpRoutes,
  deliveryRoutes,
  accessKeyRoutes,
  accessKeyExchangeRoutes,
  authzRoutes,
  auditRoutes,
  flowRoutes,
  projectRoutes,
];

export type RunningServer = {
  app: FastifyInstance;
  url: string;
  store: Store;
  bootstrap: BootstrapResult;
  close(): Promise<void>;
};

/** Start-up: config → store → migrations → bootstrap → app → listen. Nothing else. */
export async function startServer(config: Config, options: { logger?: Logger } = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const store = openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(store.db as never, store.dialect, store.migrationLockFile);
  } catch (err) {
    await store.close();
    throw err;
  }
  let publicUrl = config.publicUrl ?? `http://localhost:${config.port}`;
  const projects = createProjectRepo(store.db);
  const keys = createKeyStore(store.db);
  const users = createUserRepo();
  const sessions = createSessionService({
    db: store.db,
    keys,
    users,
    publicUrl: () => publicUrl,
    cookieDomain: config.cookieDomain,
  });
  const lifecycle = { closing: false };
  const auditLog = createAuditLog({
    db: store.db,
    logger,
    trustGeoHeaders: config.trustProxy !== false && config.trustProxy !== 0,
    projectExists: async (id) => (await projects.get(id)) !== undefined,
  });
  // ioredis is loaded only when Redis is configured: a laptop start stays lean.
  const counters = config.redisUrl
    ? (await import('./limits/redis-store.ts')).createRedisCounterStore({ url: config.redisUrl, logger })
    : createMemoryCounterStore();
  const ctx: AppContext = {
    config,
    store,
    logger,
    projects,
    keys,
    users,
    sessions,
    publicUrl: () => publicUrl,
    delivery: createDelivery({ db: store.db, mode: config.mode, logger }),
    limits: createRateLimits(counters),
    audit: trackExplicit(auditLog),
    lifecycle,
  };
  const boot = await bootstrap(config, projects, keys);
  const app = buildApp(ctx, createRequestAuth(projects, sessions), routePlugins);
  await app.listen({ port: config.port, host: config.host });
  const stopMaintenance = startMaintenance(store.db, logger);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  if (!config.publicUrl) publicUrl = `http://localhost:${port}`;
  let closing: Promise<void> | undefined;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    store,
    bootstrap: boot,
    close() {
      closing ??= (async () => {
        lifecycle.closing = true;
        stopMaintenance();
        await app.close();
        await auditLog.close();
        await counters.close();
        await store.close();
      })();
      return closing;
    },
  };
}
