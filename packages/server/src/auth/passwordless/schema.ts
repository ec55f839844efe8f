import { z } from 'zod';

/** `loginOptions` of sign-in calls (reference §1.13); unknown members are ignored. */
export const loginOptions = z
  .object({
    stepup: z.boolean().optional(),
    mfa: z.boolean().optional(),
    customClaims: z.record(z.string(), z.unknown()).optional(),
    templateId: z.string().max(64).optional(),
    templateOptions: z.record(z.string(), z.string()).optional(),
    tenantId: z.string().max(128).optional(),
    revokeOtherSessions: z.boolean().optional(),
  })
  .optional();
export type LoginOptions = z.infer<typeof loginOptions>;

export const userIn = z
  .object({
    name: z.string().max(512).optional(),
    displayName: z.string().max(512).optional(),
    givenName: z.string().max(256).optional(),
    middleName: z.string().max(256).optional(),
    familyName: z.string().max(256).optional(),
    email: z.string().max(320).optional(),
    phone: z.string().max(32).optional(),
  })
  .optional();
export type UserIn = z.infer<typeof userIn>;

const loginId = z.string().min(1).max(320);

/** Sign-up / sign-in / sign-up-or-in bodies of OTP, magic link and enchanted link. Ruby sends snake_case keys. */
export const startBody = z.object({
  loginId,
  user: userIn,
  email: z.string().max(320).optional(),
  phone: z.string().max(32).optional(),
  whatsapp: z.string().max(32).optional(),
  loginOptions,
  providerId: z.string().max(128).optional(),
  provider_id: z.string().max(128).optional(),
  templateId: z.string().max(64).optional(),
  template_id: z.string().max(64).optional(),
  templateOptions: z.record(z.string(), z.string()).optional(),
  // Magic and enchanted links: Node/Go send `URI`, Ruby `redirectUrl`.
  URI: z.string().max(4096).optional(),
  redirectUrl: z.string().max(4096).optional(),
  crossDevice: z.boolean().optional(),
});
export type StartBody = z.infer<typeof startBody>;

export const updateAddressBody = z.object({
  loginId,
  email: z.string().max(320).optional(),
  phone: z.string().max(32).optional(),
  addToLoginIDs: z.boolean().optional(),
  addToLoginIds: z.boolean().optional(),
  onMergeUseExisting: z.boolean().optional(),
  providerId: z.string().max(128).optional(),
  templateId: z.string().max(64).optional(),
  templateOptions: z.record(z.string(), z.string()).optional(),
  URI: z.string().max(4096).optional(),
  redirectUrl: z.string().max(4096).optional(),
});
export type UpdateAddressBody = z.infer<typeof updateAddressBody>;
