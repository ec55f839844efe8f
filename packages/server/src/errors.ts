/**
 * One error type with stable, Descope-style codes. The HTTP layer renders
 * `{errorCode, errorDescription, errorMessage}`; services only throw.
 * Every code lives in ERROR_CODES so docs and SDK types can be checked against it.
 */
export const ERROR_CODES = {
  badRequest: { code: 'E011001', status: 400, description: 'Bad request' },
  missingArguments: { code: 'E011002', status: 400, description: 'Missing arguments' },
  invalidRequest: { code: 'E011003', status: 400, description: 'Request is invalid' },
  invalidArguments: { code: 'E011004', status: 400, description: 'Invalid arguments' },
  payloadTooLarge: { code: 'E011005', status: 413, description: 'Request body is too large' },
  routeNotFound: { code: 'E011404', status: 404, description: 'Route not found' },
  unauthorized: { code: 'E011101', status: 401, description: 'Unauthorized' },
  unknownProject: { code: 'E011102', status: 401, description: 'Unknown project' },
  invalidManagementKey: { code: 'E011103', status: 401, description: 'Invalid management key' },
  missingRefreshToken: { code: 'E061001', status: 401, description: 'Refresh token is missing' },
  invalidToken: { code: 'E061004', status: 401, description: 'Token is invalid or expired' },
  tokenRevoked: { code: 'E064001', status: 401, description: 'Token expired by logged out' },
  userAlreadyExists: { code: 'E062107', status: 400, description: 'User already exists' },
  authUserNotFound: { code: 'E062108', status: 404, description: 'User not found' },
  invalidCredentials: { code: 'E062901', status: 401, description: 'Invalid signin credentials' },
  passwordPolicy: { code: 'E062902', status: 400, description: 'Password does not meet the policy' },
  userLocked: { code: 'E062903', status: 401, description: 'User is locked after too many failed attempts' },
  userDisabled: { code: 'E062904', status: 403, description: 'User is disabled' },
  passwordNotSet: { code: 'E062906', status: 401, description: 'Invalid signin credentials' },
  passwordExpired: { code: 'E062909', status: 401, description: 'Password expired' },
  tenantNotAssociated: { code: 'E063101', status: 403, description: 'User is not a member of the tenant' },
  managementUserNotFound: { code: 'E112102', status: 404, description: 'User not found' },
  managementUserExists: { code: 'E112103', status: 400, description: 'User already exists' },
  loginIdInUse: { code: 'E112104', status: 400, description: 'Login ID is already in use' },
  lastLoginId: { code: 'E112105', status: 400, description: 'The last login ID of a user cannot be removed' },
  tenantNotFound: { code: 'E113101', status: 404, description: 'Tenant not found' },
  tenantExists: { code: 'E113102', status: 400, description: 'Tenant already exists' },
  roleNotFound: { code: 'E114101', status: 404, description: 'Role not found' },
  roleExists: { code: 'E114102', status: 400, description: 'Role already exists' },
  permissionNotFound: { code: 'E115101', status: 404, description: 'Permission not found' },
  permissionExists: { code: 'E115102', status: 400, description: 'Permission already exists' },
  authzInvalidSchema: { code: 'E116101', status: 400, description: 'Authorization schema is invalid' },
  authzUnknownRelation: {
    code: 'E116102',
    status: 400,
    description: 'Unknown authorization namespace or relation definition',
  },
  authzDepthExceeded: {
    code: 'E116103',
    status: 400,
    description: 'Authorization check exceeded the maximum depth',
  },
  deliveryNotConfigured: { code: 'E011201', status: 400, description: 'Message delivery is not configured' },
  deliveryFailed: { code: 'E011202', status: 502, description: 'The message provider refused the message' },
  wrongCode: { code: 'E061102', status: 401, description: 'Wrong or expired code' },
  tooManyAttempts: {
    code: 'E061103',
    status: 401,
    description: 'Too many wrong attempts: request a new code',
  },
  invalidLink: { code: 'E061104', status: 401, description: 'The link is invalid, expired or already used' },
  enchantedLinkPending: {
    code: 'E062503',
    status: 401,
    description: 'The enchanted link has not been verified yet',
  },
  redirectNotAllowed: {
    code: 'E011301',
    status: 400,
    description: 'Redirect URL is not allowed for this project',
  },
  accessKeyNotFound: { code: 'E117101', status: 404, description: 'Access key not found' },
  accessKeyInvalid: { code: 'E061201', status: 401, description: 'Access key is invalid or was deleted' },
  accessKeyInactive: { code: 'E061202', status: 401, description: 'Access key is deactivated' },
  accessKeyExpired: { code: 'E061203', status: 401, description: 'Access key expired' },
  accessKeyIpNotPermitted: {
    code: 'E061204',
    status: 401,
    description: 'Access key is not permitted from this address',
  },
  rateLimited: { code: 'E130429', status: 429, description: 'Rate limit exceeded' },
  sessionInactive: {
    code: 'E064002',
    status: 401,
    description: 'Session expired after inactivity',
  },
  impersonationDenied: {
    code: 'E119101',
    status: 403,
    description: 'The impersonator lacks the impersonation permission',
  },
  consentUnavailable: {
    code: 'E119102',
    status: 403,
    description: 'Impersonation consent cannot be validated',
  },
  flowNotFound: { code: 'E121101', status: 404, description: 'Flow not found' },
  snapshotInvalid: { code: 'E122101', status: 400, description: 'Project snapshot is invalid' },
  snapshotVersionUnsupported: {
    code: 'E122102',
    status: 400,
    description: 'Project snapshot was made by a newer Latchkey',
  },
  internal: { code: 'E000500', status: 500, description: 'Internal server error' },
  invalidCustomAttribute: {
    code: 'E118102',
    status: 400,
    description: 'Custom attribute is not defined or its value does not fit its type',
  },
  customAttributeNotFound: { code: 'E118101', status: 404, description: 'Custom attribute not found' },
} as const satisfies Record<string, { code: string; status: number; description: string }>;

export type ErrorKind = keyof typeof ERROR_CODES;

/** Longest `errorMessage` answered, in characters. */
const MAX_ERROR_MESSAGE = 16_384;

export class LatchkeyError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly status: number;
  readonly description: string;
  readonly retryAfterSeconds?: number;

  constructor(kind: ErrorKind, message?: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    const entry = ERROR_CODES[kind];
    super(message ?? entry.description, { cause: options?.cause });
    this.name = 'LatchkeyError';
    this.kind = kind;
    this.code = entry.code;
    this.status = entry.status;
    this.description = entry.description;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  toBody(): { errorCode: string; errorDescription: string; errorMessage: string } {
    // Messages may quote the caller's input (`Tenant <id> not found`): a huge id must not make a huge answer.
    const message =
      this.message.length > MAX_ERROR_MESSAGE ? `${this.message.slice(0, MAX_ERROR_MESSAGE)}…` : this.message;
    return { errorCode: this.code, errorDescription: this.description, errorMessage: message };
  }
}

export const fail = (kind: ErrorKind, message?: string): never => {
  throw new LatchkeyError(kind, message);
};
