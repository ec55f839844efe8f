import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { SigningAlgorithm } from '../projects/settings.ts';
import type { Db } from '../store/db.ts';
import { newId, nowSeconds } from '../util.ts';

export type SigningKey = { kid: string; alg: string; privateKey: CryptoKey };
type VerifyKey = { alg: string; key: CryptoKey; unpublishTime: number | null };

const ACTIVE_KEY_TTL_MS = 30_000;
const VERIFY_KEY_TTL_MS = 60_000;

async function generate(alg: SigningAlgorithm): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, {
    extractable: true,
    crv: alg === 'EdDSA' ? 'Ed25519' : undefined,
  });
  return { privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
}

/**
 * Per-project signing keys. The active key is cached for a few seconds per instance; a rotated-in key
 * is published in the JWKS at once, so every verifier can find it before any instance signs with it
 * (SDKs refetch the JWKS on an unknown `kid`). Retired keys stay published until `unpublish_time`.
 */
export function createKeyStore(db: Db) {
  const activeCache = new Map<string, { key: SigningKey; at: number }>();
  const verifyCache = new Map<string, { key: VerifyKey; at: number }>();

  async function insertKey(projectId: string, alg: SigningAlgorithm): Promise<string> {
    const { privateJwk, publicJwk } = await generate(alg);
    const kid = newId.kid();
    await db
      .insertInto('signing_keys')
      .values({
        kid,
        project_id: projectId,
        alg,
        private_jwk: JSON.stringify(privateJwk),
        public_jwk: JSON.stringify({ ...publicJwk, kid, alg, use: 'sig' }),
        created_time: nowSeconds(),
        retired_time: null,
        unpublish_time: null,
      })
      .execute();
    return kid;
  }

  return {
    insertKey,

    /** Adds a new active key and retires the others; they stay published for `keepPublishedSeconds`. */
    async rotate(projectId: string, alg: SigningAlgorithm, keepPublishedSeconds: number): Promise<string> {
      const now = nowSeconds();
      const kid = await insertKey(projectId, alg);
      await db
        .updateTable('signing_keys')
        .set({ retired_time: now, unpublish_time: now + keepPublishedSeconds })
        .where('project_id', '=', projectId)
        .where('kid', '!=', kid)
        .where('retired_time', 'is', null)
        .execute();
      activeCache.delete(projectId);
      return kid;
    },

    /** `keepPublishedSeconds`: how long a key retired by an algorithm change stays in the JWKS. */
    async activeKey(
      projectId: string,
      alg: SigningAlgorithm,
      keepPublishedSeconds: number,
    ): Promise<SigningKey> {
      const cached = activeCache.get(projectId);
      if (cached && Date.now() - cached.at < ACTIVE_KEY_TTL_MS && cached.key.alg === alg) return cached.key;
      let row = await db
        .selectFrom('signing_keys')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('retired_time', 'is', null)
        .where('alg', '=', alg)
        .orderBy('created_time', 'desc')
        .executeTakeFirst();
      if (!row) {
        // The project's algorithm changed (or it has no key yet): rotate to a key of the new algorithm.
        await this.rotate(projectId, alg, keepPublishedSeconds);
        row = await db
          .selectFrom('signing_keys')
          .selectAll()
          .where('project_id', '=', projectId)
          .where('retired_time', 'is', null)
          .orderBy('created_time', 'desc')
          .executeTakeFirstOrThrow();
      }
      const privateKey = (await importJWK(JSON.parse(row.private_jwk), row.alg)) as CryptoKey;
      const key = { kid: row.kid, alg: row.alg, privateKey };
      activeCache.set(projectId, { key, at: Date.now() });
      return key;
    },

    /** The public JWKS: active keys and retired keys whose tokens may still be alive. Never private parts. */
    async publishedJwks(projectId: string): Promise<JWK[]> {
      const now = nowSeconds();
      const rows = await db
        .selectFrom('signing_keys')
        .select(['public_jwk', 'unpublish_time'])
        .where('project_id', '=', projectId)
        .orderBy('created_time', 'desc')
        .execute();
      return rows
        .filter((r) => r.unpublish_time === null || r.unpublish_time > now)
        .map((r) => JSON.parse(r.public_jwk));
    },

    async verifyKey(projectId: string, kid: string): Promise<VerifyKey | undefined> {
      const cacheKey = `${projectId}/${kid}`;
      const cached = verifyCache.get(cacheKey);
      let key = cached && Date.now() - cached.at < VERIFY_KEY_TTL_MS ? cached.key : undefined;
      if (!key) {
        const row = await db
          .selectFrom('signing_keys')
          .select(['public_jwk', 'alg', 'unpublish_time'])
          .where('project_id', '=', projectId)
          .where('kid', '=', kid)
          .executeTakeFirst();
        if (!row) return undefined;
        key = {
          alg: row.alg,
          key: (await importJWK(JSON.parse(row.public_jwk), row.alg)) as CryptoKey,
          unpublishTime: row.unpublish_time,
        };
        verifyCache.set(cacheKey, { key, at: Date.now() });
      }
      if (key.unpublishTime !== null && key.unpublishTime <= nowSeconds()) return undefined;
      return key;
    },
  };
}

export type KeyStore = ReturnType<typeof createKeyStore>;
