import { newId, normalizeLoginId, nowSeconds } from '../util.ts';
import type { UserRecord } from './repo.ts';

export type NewUserInput = Partial<
  Pick<
    UserRecord,
    | 'name'
    | 'givenName'
    | 'middleName'
    | 'familyName'
    | 'email'
    | 'phone'
    | 'verifiedEmail'
    | 'verifiedPhone'
    | 'picture'
    | 'status'
    | 'test'
    | 'customAttributes'
    | 'ssoAppIds'
    | 'roleNames'
    | 'tenants'
  >
> & { loginIds: string[] };

export function newUserRecord(projectId: string, input: NewUserInput): UserRecord {
  const now = nowSeconds();
  return {
    projectId,
    userId: newId.user(),
    loginIds: [...new Set(input.loginIds.map(normalizeLoginId))],
    name: input.name ?? '',
    givenName: input.givenName ?? '',
    middleName: input.middleName ?? '',
    familyName: input.familyName ?? '',
    email: input.email ?? '',
    phone: input.phone ?? '',
    verifiedEmail: input.verifiedEmail ?? false,
    verifiedPhone: input.verifiedPhone ?? false,
    picture: input.picture ?? '',
    status: input.status ?? 'enabled',
    test: input.test ?? false,
    customAttributes: input.customAttributes ?? {},
    ssoAppIds: input.ssoAppIds ?? [],
    passwordHash: null,
    passwordState: 'active',
    passwordSetTime: null,
    failedAttempts: 0,
    hasTotp: false,
    createdTime: now,
    modifiedTime: now,
    roleNames: input.roleNames ?? [],
    tenants: input.tenants ?? [],
  };
}
