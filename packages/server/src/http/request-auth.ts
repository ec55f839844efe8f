import type { FastifyRequest } from 'fastify';
import { LatchkeyError } from '../errors.ts';
import type { Project, ProjectRepo } from '../projects/repo.ts';
import { assertCustomClaims, type RefreshContext, type SessionService } from '../tokens/sessions.ts';

export type ParsedAuthorization = { projectId: string; jwts: string[]; keys: string[] };

/**
 * `Authorization: Bearer <projectId>[:<seg1>[:<seg2>]]` (reference §1.3). Among the segments after the
 * project, a value with two dots is a JWT, anything else a key; empty segments (`Bearer P:`) are ignored.
 */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match) return undefined;
  const [projectId = '', ...rest] = match[1]!.split(':');
  if (!projectId) return undefined;
  const segments = rest.filter((s) => s.length > 0);
  return {
    projectId,
    jwts: segments.filter((s) => s.split('.').length === 3),
    keys: segments.filter((s) => s.split('.').length !== 3),
  };
}

/** Browsers hold the refresh token in the `DSR` cookie (or the name the Node SDK was configured with). */
function refreshCookie(req: FastifyRequest): string | undefined {
  const configured = req.headers['x-descope-refresh-cookie-name'];
  const name = typeof configured === 'string' && configured ? configured : 'DSR';
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

const PROJECT_CACHE_MS = 5_000;
const MGMT_KEY_CACHE_MS = 30_000;

/** Resolves who is calling. Management keys never authorize auth calls and refresh tokens never authorize management. */
export function createRequestAuth(projects: ProjectRepo, sessions: SessionService) {
  const projectCache = new Map<string, { project: Project; at: number }>();
  const keyCache = new Map<string, number>();

  async function loadProject(projectId: string): Promise<Project> {
    const cached = projectCache.get(projectId);
    if (cached && Date.now() - cached.at < PROJECT_CACHE_MS) return cached.project;
    const project = await projects.get(projectId);
    if (!project) throw new LatchkeyError('unknownProject', 'Unknown project');
    projectCache.set(projectId, { project, at: Date.now() });
    return project;
  }

  function header(req: FastifyRequest): ParsedAuthorization {
    const parsed = parseAuthorization(req.headers.authorization);
    if (!parsed)
      throw new LatchkeyError(
        'unauthorized',
        'Missing or malformed Authorization header (expected "Bearer <projectId>")',
      );
    return parsed;
  }

  return {
    invalidateProject(projectId: string): void {
      projectCache.delete(projectId);
    },

    async project(req: FastifyRequest): Promise<Project> {
      return loadProject(header(req).projectId);
    },

    async management(req: FastifyRequest): Promise<Project> {
      const auth = header(req);
      const project = await loadProject(auth.projectId);
      for (const key of auth.keys) {
        const cacheKey = `${project.id}:${key}`;
        const at = keyCache.get(cacheKey);
        if (at && Date.now() - at < MGMT_KEY_CACHE_MS) return project;
        if (await projects.hasManagementKey(project.id, key)) {
          if (keyCache.size > 10_000) keyCache.clear();
          keyCache.set(cacheKey, Date.now());
          return project;
        }
      }
      throw new LatchkeyError(
        'invalidManagementKey',
        'A valid management key is required: "Bearer <projectId>:<managementKey>"',
      );
    },

    /**
     * Custom claims asked for on an auth call (`loginOptions.customClaims`) are trusted only from a backend:
     * the call must carry a management key (the SDKs' `authManagementKey`, or Ruby's management key).
     * Otherwise any user could write claims such as `plan: "pro"` into their own token.
     */
    async checkCustomClaimsAllowed(
      req: FastifyRequest,
      claims: Record<string, unknown> | undefined,
    ): Promise<void> {
      if (!claims || Object.keys(claims).length === 0) return;
      try {
        await this.management(req);
      } catch {
        throw new LatchkeyError(
          'invalidManagementKey',
          'loginOptions.customClaims needs a management key on the call ("Bearer <projectId>:<refreshJwt?>:<managementKey>")',
        );
      }
      // Refused before the sign-in, not after it: a verified password or consumed code must not be spent
      // (or an invited user activated) on a call that then fails on its claims.
      assertCustomClaims(claims);
    },

    async refresh(req: FastifyRequest): Promise<RefreshContext> {
      const auth = header(req);
      const project = await loadProject(auth.projectId);
      const token = auth.jwts[0] ?? refreshCookie(req);
      if (!token)
        throw new LatchkeyError(
          'missingRefreshToken',
          'A refresh token is required: "Bearer <projectId>:<refreshJwt>"',
        );
      return sessions.authenticateRefresh(project, token);
    },
  };
}

export type RequestAuth = ReturnType<typeof createRequestAuth>;
