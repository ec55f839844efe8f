import { decodeProtectedHeader, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { LatchkeyError } from '../errors.ts';
import type { Project } from '../projects/repo.ts';
import type { KeyStore } from './keys.ts';

/** Claims the server owns; custom claims may not overwrite them. */
export const RESERVED_CLAIMS = new Set([
  'sub',
  'iss',
  'aud',
  'iat',
  'exp',
  'nbf',
  'jti',
  'drn',
  'amr',
  'roles',
  'permissions',
  'tenants',
  'dct',
  'rexp',
  'cnf',
  'nsec',
  'dsub',
  'act',
  'su',
  // custom attributes marked includeInJwt (docs/custom-attributes.md)
  'customAttributes',
]);

/** Every token a key signed has expired this long after the key stops signing. */
export const tokenLifetimeBound = (project: Project): number =>
  Math.max(project.settings.refreshTokenExpiration, project.settings.sessionTokenExpiration) + 60;

export type TokenKind = 'DS' | 'DSR';

export function issuerFor(publicUrl: string, projectId: string): string {
  return `${publicUrl}/${projectId}`;
}

/**
 * Signs with the project's active key. RFC 8725: explicit `alg` and `kid`, typed by `drn`, never `none`,
 * and verification below pins the algorithm to the key's own.
 */
export async function signToken(
  keys: KeyStore,
  project: Project,
  issuer: string,
  claims: Record<string, unknown>,
  lifetimeSeconds: number,
  nowSec: number,
): Promise<string> {
  const key = await keys.activeKey(
    project.id,
    project.settings.signingAlgorithm,
    tokenLifetimeBound(project),
  );
  return new SignJWT(claims as JWTPayload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setIssuedAt(nowSec)
    .setExpirationTime(nowSec + lifetimeSeconds)
    .sign(key.privateKey);
}

/**
 * The issuer is `<public URL>/<projectId>`. Verification checks the project segment, not the host: the
 * key lookup is already scoped to the project, and instances behind a load balancer may see different hosts.
 */
const issuedFor = (iss: unknown, projectId: string): boolean =>
  typeof iss === 'string' && (iss === projectId || iss.split('/').at(-1) === projectId);

export async function verifyToken(
  keys: KeyStore,
  projectId: string,
  token: string,
  kind: TokenKind,
): Promise<JWTPayload & { sub: string }> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw new LatchkeyError('invalidToken', 'Token is malformed');
  }
  const key = kid ? await keys.verifyKey(projectId, kid) : undefined;
  if (!key) throw new LatchkeyError('invalidToken', 'Token was not signed by this project');
  try {
    const { payload } = await jwtVerify(token, key.key, { algorithms: [key.alg], clockTolerance: 5 });
    if (!issuedFor(payload.iss, projectId))
      throw new LatchkeyError('invalidToken', 'Token was issued for another project');
    if (payload.drn !== kind || typeof payload.sub !== 'string') {
      throw new LatchkeyError('invalidToken', `Expected a ${kind === 'DSR' ? 'refresh' : 'session'} token`);
    }
    return payload as JWTPayload & { sub: string };
  } catch (err) {
    if (err instanceof LatchkeyError) throw err;
    throw new LatchkeyError('invalidToken', 'Token is invalid or expired', { cause: err });
  }
}
