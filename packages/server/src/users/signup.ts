import { LatchkeyError } from '../errors.ts';
import type { Project } from '../projects/repo.ts';
import type { Db } from '../store/db.ts';
import { createTenantRepo } from '../tenants/repo.ts';
import { isEmail, normalizeLoginId } from '../util.ts';
import { newUserRecord } from './factory.ts';
import type { UserRecord, UserRepo } from './repo.ts';

export type SignUpProfile = {
  name?: string;
  displayName?: string;
  givenName?: string;
  middleName?: string;
  familyName?: string;
  email?: string;
  phone?: string;
};

const tenants = createTenantRepo();

/**
 * A user signing themselves up, whatever the method: the login id must be free; the email defaults to the
 * login id when it is one; tenants whose self-provisioning domains hold the email take the user in; default
 * roles (the project's, and each joined tenant's own) are given. Call inside a transaction.
 */
export async function createSignedUpUser(
  tx: Db,
  users: UserRepo,
  project: Project,
  input: {
    loginId: string;
    profile?: SignUpProfile;
    verifiedEmail?: boolean;
    verifiedPhone?: boolean;
    prepare?: (u: UserRecord) => void;
  },
): Promise<UserRecord> {
  if (await users.loginIdTaken(tx, project.id, input.loginId)) {
    throw new LatchkeyError('userAlreadyExists', `User ${input.loginId} already exists`);
  }
  const p = input.profile ?? {};
  const email = p.email ?? (isEmail(input.loginId) ? normalizeLoginId(input.loginId) : '');
  const provisioned = await tenants.forEmailDomain(tx, project.id, email);
  const defaultRoles = await tx
    .selectFrom('roles')
    .select(['tenant_id', 'name'])
    .where('project_id', '=', project.id)
    .where('tenant_id', 'in', ['', ...provisioned.map((t) => t.id)])
    .where('is_default', '=', 1)
    .execute();
  const defaultsIn = (tenantId: string) =>
    defaultRoles.filter((r) => r.tenant_id === tenantId).map((r) => r.name);
  const record = newUserRecord(project.id, {
    loginIds: [input.loginId],
    name: p.name ?? p.displayName,
    givenName: p.givenName,
    middleName: p.middleName,
    familyName: p.familyName,
    email,
    phone: p.phone,
    verifiedEmail: input.verifiedEmail,
    verifiedPhone: input.verifiedPhone,
    roleNames: defaultsIn(''),
    tenants: provisioned.map((t) => ({ tenantId: t.id, tenantName: t.name, roleNames: defaultsIn(t.id) })),
  });
  input.prepare?.(record);
  await users.save(tx, record, true);
  return record;
}
