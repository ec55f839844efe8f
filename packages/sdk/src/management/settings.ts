import type { Http } from '../http.ts';
import type { PasswordPolicy } from '../types.ts';

/**
 * The project's password settings (`/v1/mgmt/password/settings`): the policy plus lockout and expiry.
 *
 * @example
 * ```ts
 * const settings: PasswordSettings = await client.management.password.getSettings();
 * ```
 */
export type PasswordSettings = PasswordPolicy & {
  enabled?: boolean;
  /** the Node SDK's spelling of `nonAlphanumeric`; Latchkey answers both and accepts either */
  nonAlphaNumeric?: boolean;
  /** password-reuse prevention (Descope); Latchkey answers `false` and refuses to turn it on */
  reuse?: boolean;
  reuseAmount?: number;
  /** lock the user after `lockAttempts` failed sign-ins */
  lock: boolean;
  lockAttempts: number;
  /** passwords expire after `expirationWeeks` */
  expiration: boolean;
  expirationWeeks: number;
};

/**
 * One-time codes and links of a project: lifetimes (seconds), code length, wrong guesses allowed before a
 * code is burned, and where links may point.
 *
 * @example
 * ```ts
 * const { otpLength, allowedRedirectOrigins }: PasswordlessSettings =
 *   (await client.management.project.getSettings()).passwordless;
 * ```
 */
export type PasswordlessSettings = {
  otpExpirationSeconds: number;
  otpLength: number;
  otpMaxAttempts: number;
  magicLinkExpirationSeconds: number;
  enchantedLinkExpirationSeconds: number;
  /** used when a request names no redirect URL */
  defaultRedirectUrl?: string;
  /** origins (`https://app.example.com`) a redirect URL may point to, besides the default's */
  allowedRedirectOrigins: string[];
  passwordResetMethod: 'magiclink' | 'otp';
};

/**
 * One rate limit: at most `max` requests per `windowSeconds`.
 *
 * @example
 * ```ts
 * const rule: RateLimitRule = { max: 5, windowSeconds: 60 };
 * ```
 */
export type RateLimitRule = { max: number; windowSeconds: number };

/**
 * A project's rate limits for authentication calls, counted per login id and per client address.
 *
 * @example
 * ```ts
 * await client.management.project.configureSettings({ rateLimits: { sendPerLoginId: { max: 10 } } });
 * ```
 */
export type RateLimitSettings = {
  enabled: boolean;
  signInPerLoginId: RateLimitRule;
  signInPerIp: RateLimitRule;
  sendPerLoginId: RateLimitRule;
  sendPerIp: RateLimitRule;
  verifyPerLoginId: RateLimitRule;
  verifyPerIp: RateLimitRule;
};

/**
 * Latchkey's own project settings (`/v1/mgmt/project/settings`, not part of Descope's API).
 *
 * @example
 * ```ts
 * const settings: ProjectSettings = await client.management.project.getSettings();
 * ```
 */
export type ProjectSettings = {
  /** session JWT lifetime in seconds (60 s to 30 days) */
  sessionTokenExpiration: number;
  /** refresh JWT lifetime in seconds (300 s to 365 days) */
  refreshTokenExpiration: number;
  /** session JWT lifetime of a step-up (`su: true`) in seconds (60 s to 30 days, default 300) */
  stepupTokenExpiration: number;
  /** issue a new refresh JWT on every refresh and revoke the old one */
  refreshTokenRotation: boolean;
  signingAlgorithm: 'RS256' | 'ES256' | 'EdDSA';
  passwordless: PasswordlessSettings;
  rateLimits: RateLimitSettings;
  /** message delivery, managed through `/v1/mgmt/delivery/settings` */
  delivery?: Record<string, unknown>;
};

/**
 * A change to the project settings: only the fields given change; nested sections merge (`rateLimits`,
 * each rule, `passwordless`), lists replace.
 *
 * @example
 * ```ts
 * const change: ProjectSettingsChange = {
 *   rateLimits: { enabled: false },
 *   passwordless: { defaultRedirectUrl: 'https://app.example.com/verify' },
 * };
 * ```
 */
export type ProjectSettingsChange = Partial<
  Pick<
    ProjectSettings,
    | 'sessionTokenExpiration'
    | 'refreshTokenExpiration'
    | 'stepupTokenExpiration'
    | 'refreshTokenRotation'
    | 'signingAlgorithm'
  >
> & {
  passwordless?: Partial<PasswordlessSettings>;
  rateLimits?: { enabled?: boolean } & {
    [rule in Exclude<keyof RateLimitSettings, 'enabled'>]?: Partial<RateLimitRule>;
  };
};

/**
 * Password settings management.
 *
 * @example
 * ```ts
 * await client.management.password.configureSettings({ minLength: 12 });
 * ```
 */
export type PasswordSettingsApi = {
  /**
   * Loads the password settings.
   *
   * @example
   * ```ts
   * const { minLength, lockAttempts } = await client.management.password.getSettings();
   * ```
   */
  getSettings(): Promise<PasswordSettings>;
  /**
   * Changes the given password settings; the others stay as they are.
   *
   * @example
   * ```ts
   * await client.management.password.configureSettings({ minLength: 12, nonAlphanumeric: true });
   * ```
   */
  configureSettings(settings: Partial<PasswordSettings>): Promise<void>;
};

/**
 * Project settings management (a Latchkey extension).
 *
 * @example
 * ```ts
 * await client.management.project.configureSettings({ refreshTokenRotation: true });
 * ```
 */
export type ProjectSettingsApi = {
  /**
   * Loads the project settings.
   *
   * @example
   * ```ts
   * const { sessionTokenExpiration } = await client.management.project.getSettings();
   * ```
   */
  getSettings(): Promise<ProjectSettings>;
  /**
   * Changes the given project settings; the others stay. Changing `signingAlgorithm` rotates the
   * signing key at once (the new key is published in the JWKS before it signs anything).
   *
   * @example
   * ```ts
   * await client.management.project.configureSettings({ sessionTokenExpiration: 300 });
   * await client.management.project.configureSettings({ rateLimits: { enabled: false } }); // e2e tests
   * ```
   */
  configureSettings(settings: ProjectSettingsChange): Promise<void>;
};

function settingsApi<T, Change = Partial<T>>(http: Http, path: string) {
  return {
    getSettings: () => http.request<T>('GET', path, { auth: 'management' }),
    async configureSettings(settings: Change) {
      await http.request('POST', path, { auth: 'management', body: settings });
    },
  };
}

export const createPasswordSettingsApi = (http: Http): PasswordSettingsApi =>
  settingsApi<PasswordSettings>(http, '/v1/mgmt/password/settings');

export const createProjectSettingsApi = (http: Http): ProjectSettingsApi =>
  settingsApi<ProjectSettings, ProjectSettingsChange>(http, '/v1/mgmt/project/settings');
