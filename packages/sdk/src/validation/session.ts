import { errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { LatchkeySessionError, type SessionErrorReason } from '../errors.ts';
import type { AuthenticationInfo, JwtResponse, SessionClaims } from '../types.ts';
import { issuerNamesProject } from './issuer.ts';

/**
 * Per-call validation options.
 *
 * @example
 * ```ts
 * await client.validateSession(sessionJwt, { audience: 'my-api' });
 * ```
 */
export type ValidationOptions = {
  /** require `aud` to contain this value (or one of these); overrides the client's `audience` */
  audience?: string | string[];
};

type TokenKind = 'DS' | 'DSR';

export type SessionValidatorDeps = {
  projectId: string;
  keys: JWTVerifyGetKey;
  clockToleranceSeconds: number;
  audience?: string | string[];
  refresh(refreshJwt: string): Promise<JwtResponse>;
};

function reasonOf(err: unknown): SessionErrorReason {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed)
    return err.claim === 'aud' ? 'wrong-audience' : 'invalid-claims';
  if (err instanceof errors.JWKSNoMatchingKey) return 'unknown-key';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'invalid-signature';
  if (err instanceof errors.JOSENotSupported || err instanceof errors.JOSEAlgNotAllowed)
    return 'invalid-signature';
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return 'malformed';
  return 'keys-unavailable'; // JWKS fetch failures, timeouts, an invalid key set
}

/**
 * Local validation against the project's JWKS, in the order a reader can check at a glance:
 * signature (by `kid`) → `exp`/`nbf`/`iat` with leeway → audience (when asked) → issuer names the
 * project → token type (`drn`).
 */
export function createSessionValidator(deps: SessionValidatorDeps) {
  const { projectId } = deps;

  async function verify(
    token: string | undefined,
    kind: TokenKind,
    options: ValidationOptions = {},
  ): Promise<SessionClaims> {
    const label = kind === 'DS' ? 'session' : 'refresh';
    if (!token) throw new LatchkeySessionError('missing-token', `A ${label} token is required`);
    let claims: SessionClaims;
    try {
      const audience = options.audience ?? deps.audience;
      const { payload } = await jwtVerify(token, deps.keys, {
        clockTolerance: deps.clockToleranceSeconds,
        requiredClaims: ['exp', 'sub', 'iss'],
        ...(audience !== undefined ? { audience } : {}),
      });
      claims = payload as SessionClaims;
    } catch (err) {
      const reason = reasonOf(err);
      throw new LatchkeySessionError(
        reason,
        `The ${label} token is not valid (${reason}): ${(err as Error).message}`,
        { cause: err },
      );
    }
    if (!issuerNamesProject(claims.iss, projectId)) {
      throw new LatchkeySessionError(
        'wrong-issuer',
        `The ${label} token was issued for another project (iss ${JSON.stringify(claims.iss)})`,
      );
    }
    if (claims.drn !== kind) {
      throw new LatchkeySessionError(
        'wrong-token-type',
        `Expected a ${label} token (drn ${kind}), got drn ${JSON.stringify(claims.drn)}`,
      );
    }
    return claims;
  }

  async function validateSession(
    sessionJwt: string | undefined,
    options?: ValidationOptions,
  ): Promise<AuthenticationInfo> {
    return { jwt: sessionJwt as string, token: await verify(sessionJwt, 'DS', options) };
  }

  async function refreshSession(
    refreshJwt: string | undefined,
    options?: ValidationOptions,
  ): Promise<AuthenticationInfo> {
    // Like every Descope SDK: a refresh token that is not even locally valid never reaches the server.
    await verify(refreshJwt, 'DSR');
    const response = await deps.refresh(refreshJwt as string);
    const info = await validateSession(response.sessionJwt, options);
    return { ...info, refreshJwt: response.refreshJwt || refreshJwt, response };
  }

  async function validateAndRefreshSession(
    sessionJwt: string | undefined,
    refreshJwt: string | undefined,
    options?: ValidationOptions,
  ): Promise<AuthenticationInfo> {
    if (!sessionJwt && !refreshJwt)
      throw new LatchkeySessionError('missing-token', 'Both the session and the refresh token are missing');
    if (sessionJwt) {
      try {
        return await validateSession(sessionJwt, options);
      } catch (err) {
        if (!refreshJwt || !(err instanceof LatchkeySessionError)) throw err;
      }
    }
    return refreshSession(refreshJwt, options);
  }

  return { verify, validateSession, refreshSession, validateAndRefreshSession };
}

export type SessionValidator = ReturnType<typeof createSessionValidator>;
