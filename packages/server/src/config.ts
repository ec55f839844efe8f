import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting, read from the environment once at start, validated and frozen.
 * The variable names are a contract: tests and tooling outside the repo rely on them.
 */
const keyWithoutColon = z
  .string()
  .min(16, 'must be at least 16 characters')
  .refine((v) => !v.includes(':') && v.split('.').length < 3, 'must not contain ":" or look like a JWT');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LATCHKEY_DATA_DIR: z.string().min(1).default('./.latchkey'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave unset for the embedded SQLite store)')
    .optional(),
  LATCHKEY_PROJECT_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{4,64}$/, 'must be 4-64 letters, digits, "_" or "-"')
    .optional(),
  LATCHKEY_MANAGEMENT_KEY: keyWithoutColon.optional(),
  LATCHKEY_PUBLIC_URL: z.string().url().optional(),
  LATCHKEY_COOKIE_DOMAIN: z.string().default(''),
  LATCHKEY_BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576),
  LATCHKEY_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  LATCHKEY_TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|\d+|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/,
      'must be true, false, a hop count, or a comma-separated list of proxy addresses/CIDRs',
    )
    .optional(),
  LATCHKEY_MODE: z.enum(['development', 'production']).default('development'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = Readonly<{
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  bootstrapProjectId?: string;
  bootstrapManagementKey?: string;
  publicUrl?: string;
  cookieDomain: string;
  bodyLimit: number;
  shutdownTimeoutMs: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  mode: 'development' | 'production';
  /** Fastify's trustProxy: which X-Forwarded-For hops to believe for the client address */
  trustProxy: boolean | number | string[];
  redisUrl?: string;
}>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.LATCHKEY_MANAGEMENT_KEY && !e.LATCHKEY_PROJECT_ID) {
    throw new ConfigError(
      'Invalid configuration:\n  LATCHKEY_PROJECT_ID: required when LATCHKEY_MANAGEMENT_KEY is set',
    );
  }
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.LATCHKEY_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    bootstrapProjectId: e.LATCHKEY_PROJECT_ID,
    bootstrapManagementKey: e.LATCHKEY_MANAGEMENT_KEY,
    publicUrl: e.LATCHKEY_PUBLIC_URL?.replace(/\/+$/, ''),
    cookieDomain: e.LATCHKEY_COOKIE_DOMAIN,
    bodyLimit: e.LATCHKEY_BODY_LIMIT,
    shutdownTimeoutMs: e.LATCHKEY_SHUTDOWN_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    mode: e.LATCHKEY_MODE,
    trustProxy: parseTrustProxy(e.LATCHKEY_TRUST_PROXY),
    redisUrl: e.REDIS_URL,
  });
}

function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((v) => v.trim());
}
