import type { UserRecord } from './repo.ts';

/** The user object of the wire contract (reference §4.1). Credential flags are lowercase (Go SDK tags). */
export function toWireUser(user: UserRecord) {
  return {
    userId: user.userId,
    loginIds: user.loginIds,
    name: user.name,
    givenName: user.givenName,
    middleName: user.middleName,
    familyName: user.familyName,
    email: user.email,
    phone: user.phone,
    verifiedEmail: user.verifiedEmail,
    verifiedPhone: user.verifiedPhone,
    roleNames: user.roleNames,
    userTenants: user.tenants.map((t) => ({
      tenantId: t.tenantId,
      tenantName: t.tenantName,
      roleNames: t.roleNames,
    })),
    status: user.status,
    customAttributes: user.customAttributes,
    picture: user.picture,
    test: user.test,
    createdTime: user.createdTime,
    modifiedTime: user.modifiedTime,
    totp: user.hasTotp,
    webauthn: false,
    password: user.passwordHash !== null,
    saml: false,
    scim: false,
    oauth: {},
    ssoAppIds: user.ssoAppIds,
    externalIds: user.loginIds,
  };
}

export type WireUser = ReturnType<typeof toWireUser>;
