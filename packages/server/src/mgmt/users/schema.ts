import { z } from 'zod';

export const loginId = z.string().min(1).max(320);
export const phone = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number such as +14155550100');
const attributeValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.union([z.string(), z.number()])),
]);
export const customAttributes = z.record(z.string().min(1).max(128), attributeValue);
export const userTenants = z.array(
  z.object({ tenantId: z.string().min(1), roleNames: z.array(z.string().min(1)).optional() }),
);

/** Invitation options (reference §3.2.1): on a single create, or top level of a batch. */
export const inviteFields = {
  inviteUrl: z.url().max(2048).optional(),
  sendMail: z.boolean().optional(),
  sendSMS: z.boolean().optional(),
  templateId: z.string().max(128).optional(),
  templateOptions: z.record(z.string(), z.unknown()).optional(),
  locale: z.string().max(32).optional(),
};
export const inviteOptions = z.object({ invite: z.boolean().optional(), ...inviteFields });
export type InviteOptions = z.infer<typeof inviteOptions>;

/**
 * User write fields (reference §3.2.1). Synonyms from the three SDKs are accepted:
 * `name`/`displayName`, `additionalLoginIds`/`additionalIdentifiers`, `ssoAppIds`/`ssoAppIDs`.
 */
export const userWriteFields = {
  loginId,
  email: z.email().max(320).optional(),
  phone: phone.optional(),
  name: z.string().max(512).optional(),
  displayName: z.string().max(512).optional(),
  givenName: z.string().max(256).optional(),
  middleName: z.string().max(256).optional(),
  familyName: z.string().max(256).optional(),
  roleNames: z.array(z.string().min(1)).max(1000).optional(),
  userTenants: userTenants.max(1000).optional(),
  customAttributes: customAttributes.optional(),
  picture: z.string().max(4096).optional(),
  verifiedEmail: z.boolean().optional(),
  verifiedPhone: z.boolean().optional(),
  additionalLoginIds: z.array(loginId).max(20).optional(),
  additionalIdentifiers: z.array(loginId).max(20).optional(),
  ssoAppIds: z.array(z.string()).optional(),
  ssoAppIDs: z.array(z.string()).optional(),
  test: z.boolean().optional(),
  invite: z.boolean().optional(),
  password: z.string().min(1).max(1024).optional(),
  hashedPassword: z.record(z.string(), z.unknown()).optional(),
  status: z.enum(['enabled', 'disabled', 'invited', 'expired']).optional(),
  /** TOTP seed (base32) imported with the user (batch, N G) */
  seed: z
    .string()
    .regex(/^[A-Z2-7]{16,128}=*$/i, 'must be a base32 TOTP secret')
    .optional(),
  ...inviteFields,
};

export const userWriteBody = z.object(userWriteFields);
export type UserWrite = z.infer<typeof userWriteBody>;

export const patchBody = z
  .object({ ...userWriteFields })
  .partial()
  .extend({ loginId });
export type UserPatch = z.infer<typeof patchBody>;

export const searchBody = z.object({
  loginId: z.string().optional(),
  loginIds: z.array(z.string()).optional(),
  userIds: z.array(z.string()).optional(),
  tenantIds: z.array(z.string()).optional(),
  roleNames: z.array(z.string()).optional(),
  text: z.string().max(256).optional(),
  emails: z.array(z.string()).optional(),
  phones: z.array(z.string()).optional(),
  statuses: z.array(z.enum(['enabled', 'disabled', 'invited', 'expired'])).optional(),
  customAttributes: z.record(z.string(), z.unknown()).optional(),
  ssoAppIds: z.array(z.string()).optional(),
  withTestUser: z.boolean().optional(),
  testUsersOnly: z.boolean().optional(),
  limit: z.number().int().min(0).max(10_000).optional(),
  page: z.number().int().min(0).optional(),
  sort: z.array(z.object({ field: z.string().min(1), desc: z.boolean().optional() })).optional(),
  fromCreatedTime: z.number().int().min(0).optional(),
  toCreatedTime: z.number().int().min(0).optional(),
  fromModifiedTime: z.number().int().min(0).optional(),
  toModifiedTime: z.number().int().min(0).optional(),
  tenantRoleIds: z
    .record(z.string(), z.object({ values: z.array(z.string()).optional(), and: z.boolean().optional() }))
    .optional(),
  tenantRoleNames: z
    .record(z.string(), z.object({ values: z.array(z.string()).optional(), and: z.boolean().optional() }))
    .optional(),
  verifiedEmail: z.boolean().optional(),
  verifiedPhone: z.boolean().optional(),
});
export type UserSearch = z.infer<typeof searchBody>;
