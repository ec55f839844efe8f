import { createAttributeDefinitions } from '../mgmt/attributes/definitions.ts';
import type { Db } from '../store/db.ts';
import type { UserRecord } from './repo.ts';

const definitions = createAttributeDefinitions();

/**
 * The `customAttributes` claim: the user's values of the attributes defined with `includeInJwt`, read fresh
 * on every issue and refresh. The claim is reserved (never taken from `customClaims`), so a client cannot
 * forge it, and absent when no such attribute has a value.
 */
export async function attributeClaims(
  db: Db,
  user: UserRecord,
): Promise<{ customAttributes?: Record<string, unknown> }> {
  const included = (await definitions.list(db, user.projectId, 'user')).filter((d) => d.includeInJwt);
  const values: Record<string, unknown> = {};
  for (const d of included) {
    const value = user.customAttributes[d.name];
    if (value !== undefined && value !== null) values[d.name] = value;
  }
  return Object.keys(values).length > 0 ? { customAttributes: values } : {};
}
