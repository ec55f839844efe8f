import type { AuditType } from './types.ts';

/** What the HTTP layer knows about a finished request. Bodies are parsed JSON (or undefined). */
export type FinishedRequest = {
  method: string;
  /** the route pattern, e.g. `/v1/auth/otp/verify/:method` */
  route: string;
  params: Record<string, string | undefined>;
  status: number;
  body: unknown;
  response: unknown;
  /** JWTs from the Authorization header or the refresh cookie (already verified when the request succeeded) */
  jwts: string[];
};

export type DerivedEvent = {
  action: string;
  type: AuditType;
  method?: string;
  actorId?: string;
  userId?: string;
  loginIds?: string[];
  tenants?: string[];
  data?: Record<string, unknown>;
};

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && !!x) : [];

function jwtClaims(jwt: string | undefined): Obj {
  if (!jwt) return {};
  try {
    return obj(JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()));
  } catch {
    return {};
  }
}

/** Who the user is, from the answer (JWT response's `user`, or its session JWT) or the caller's own token. */
function subject(r: FinishedRequest): { userId?: string; loginIds: string[]; tenants: string[] } {
  const res = obj(r.response);
  const user = obj(res.user);
  const session = jwtClaims(str(res.sessionJwt));
  // the caller's tokens are decoded only when the answer does not name the user
  const callerSub = () => {
    for (const jwt of r.jwts) {
      const sub = str(jwtClaims(jwt).sub);
      if (sub) return sub;
    }
    return undefined;
  };
  const userId = str(user.userId) ?? str(session.sub) ?? callerSub();
  const loginIds = strs(user.loginIds);
  const body = obj(r.body);
  if (loginIds.length === 0 && str(body.loginId)) loginIds.push(body.loginId as string);
  const tenant = str(session.dct) ?? str(body.tenant);
  return { userId, loginIds, tenants: tenant ? [tenant] : [] };
}

/** A failure's reason as Descope shows it (`data.error_message`); error bodies never carry secrets. */
function failure(r: FinishedRequest): Obj {
  const res = obj(r.response);
  return {
    error_code: str(res.errorCode) ?? '',
    error_message: str(res.errorMessage) ?? str(res.errorDescription) ?? '',
  };
}

const ok = (r: FinishedRequest) => r.status >= 200 && r.status < 300;
// Not a failed login: the client is still waiting for the user to click the link.
const PENDING = 'E062503';

/** Auth calls: sign-in family (success / failure), starts of multi-step logins, sign-outs, refreshes, profile changes. */
function authEvents(r: FinishedRequest): DerivedEvent[] {
  const parts = r.route.split('/'); // ['', 'v1', 'auth', area, ...rest]
  const area = parts[3] ?? '';
  const rest = parts.slice(4).join('/');
  const who = subject(r);
  const base = { userId: who.userId, loginIds: who.loginIds, tenants: who.tenants, actorId: who.userId };
  // A passwordless first login creates the user (`firstSeen`): Descope records UserCreated with the user as actor.
  const firstSeen = obj(r.response).firstSeen === true;
  const login = (method: string): DerivedEvent[] =>
    ok(r)
      ? [
          ...(firstSeen ? [{ ...base, action: 'UserCreated', type: 'info' as const, method }] : []),
          { ...base, action: 'LoginSucceed', type: 'info', method },
        ]
      : [{ ...base, action: 'LoginFailed', type: 'warn', method, data: failure(r) }];
  const started = (method: string, extra: Obj = {}): DerivedEvent[] =>
    ok(r)
      ? [{ ...base, action: 'LoginStarted', type: 'info', method, data: extra }]
      : [{ ...base, action: 'LoginStartedFailed', type: 'warn', method, data: { ...extra, ...failure(r) } }];
  const modified = (method: string, field: string): DerivedEvent[] =>
    ok(r) ? [{ ...base, action: 'UserModified', type: 'info', method, data: { field } }] : [];
  const delivery = r.params.method ? { deliveryMethod: r.params.method } : {};

  if (area === 'password') {
    if (rest === 'signup')
      return ok(r)
        ? [
            { ...base, action: 'UserCreated', type: 'info', method: 'password' },
            { ...base, action: 'LoginSucceed', type: 'info', method: 'password' },
          ]
        : [
            {
              ...base,
              action: 'LoginFailed',
              type: 'warn',
              method: 'password',
              data: { flow: 'signup', ...failure(r) },
            },
          ];
    if (rest === 'signin' || rest === 'replace') return login('password');
    if (rest === 'update') return modified('password', 'password');
    if (rest === 'reset') return started('password', { flow: 'reset' });
    return [];
  }
  if (area === 'otp' || area === 'magiclink' || area === 'enchantedlink') {
    if (rest.startsWith('update/')) return modified(area, rest.includes('phone') ? 'phone' : 'email');
    if (rest.startsWith('verify')) {
      // enchanted links: the session is answered to the polling client (pending-session), not the clicked link
      if (area === 'enchantedlink') return ok(r) ? [] : login(area);
      return login(area);
    }
    if (rest === 'pending-session') {
      if (!ok(r) && failure(r).error_code === PENDING) return [];
      return login(area);
    }
    if (/^(signup|signin|signup-in)/.test(rest)) return started(area, { flow: parts[4], ...delivery });
    return [];
  }
  if (area === 'totp') {
    if (rest === 'signup')
      return ok(r) ? [{ ...base, action: 'UserCreated', type: 'info', method: 'totp' }] : [];
    if (rest === 'verify') return login('totp');
    if (rest === 'update') return modified('totp', 'totp');
    return [];
  }
  if (area === 'accesskey' && rest === 'exchange') {
    const keyId = str(obj(r.response).keyId) ?? who.userId;
    return login('accesskey').map((e) => ({ ...e, userId: keyId, actorId: keyId }));
  }
  if (r.route === '/v1/auth/logout' || r.route === '/v1/auth/logoutall')
    return ok(r) ? [{ ...base, action: 'Logout', type: 'info', data: { all: r.route.endsWith('all') } }] : [];
  if (r.route === '/v1/auth/refresh') return ok(r) ? [{ ...base, action: 'UserRefresh', type: 'info' }] : [];
  if (r.route === '/v1/auth/tenant/select')
    return ok(r) ? [{ ...base, action: 'TenantSelected', type: 'info' }] : [];
  // Methods added later (oauth, saml, sso, webauthn...): a session answer is a login; a refused sign-in is a failure.
  if (ok(r) && str(obj(r.response).sessionJwt)) return login(area);
  if (!ok(r) && /(signin|signup|verify|exchange|finish)/.test(rest)) return login(area);
  return [];
}

/** Read-only management calls: not audited. */
const READS =
  /\/(search|load|all|has|who|resource|targets|targetall|targetwithrelation|getmodified|history|export|validate|license)(\/|$)|\/v2\/mgmt\/user\/search/;

const AREA_NAMES: Record<string, string> = {
  user: 'User',
  tenant: 'Tenant',
  role: 'Role',
  permission: 'Permission',
  accesskey: 'AccessKey',
  sso: 'SSO',
  project: 'Project',
  flow: 'Flow',
  theme: 'Theme',
  jwt: 'JWT',
  outbound: 'OutboundApp',
  thirdparty: 'ThirdPartyApp',
};

/** Exact names for the management calls that have one (Descope's where documented, see docs/audit.md). */
const MGMT_ACTIONS: Record<string, string> = {
  '/v1/mgmt/user/create': 'UserCreated',
  '/v1/mgmt/user/create/test': 'UserCreated',
  '/v1/mgmt/user/create/batch': 'UsersCreated',
  '/v1/mgmt/user/delete': 'UserDeleted',
  '/v1/mgmt/user/test/delete/all': 'UsersDeleted',
  '/v1/mgmt/user/logout': 'Logout',
  '/v1/mgmt/user/signin/embeddedlink': 'EmbeddedLinkCreated',
  '/v1/mgmt/user/signup/embeddedlink': 'EmbeddedLinkCreated',
  '/v1/mgmt/impersonate': 'Impersonate',
  '/v1/mgmt/accesskey/delete': 'AccessKeyDeleted',
  '/v1/mgmt/authz/schema/delete': 'AuthzSchemaDeleted',
  '/v1/mgmt/authz/re/create': 'AuthzRelationsCreated',
  '/v1/mgmt/authz/re/delete': 'AuthzRelationsDeleted',
  '/v1/mgmt/authz/re/deleteresources': 'AuthzRelationsDeleted',
  '/v1/mgmt/authz/re/deleteresourcesrelations': 'AuthzRelationsDeleted',
  '/v1/mgmt/project/settings': 'ProjectSettingsModified',
  '/v1/mgmt/password/settings': 'PasswordSettingsModified',
  '/v1/mgmt/delivery/settings': 'DeliverySettingsModified',
  '/v1/mgmt/tests/generate/otp': 'TestUserCodeGenerated',
  '/v1/mgmt/tests/generate/magiclink': 'TestUserCodeGenerated',
  '/v1/mgmt/tests/generate/enchantedlink': 'TestUserCodeGenerated',
};

/** The management call's action: an exact name, else `<Area>Created|Deleted|Modified` from the path. */
export function managementAction(route: string): string | undefined {
  if (MGMT_ACTIONS[route]) return MGMT_ACTIONS[route];
  const parts = route.split('/').filter(Boolean); // v1 mgmt area verb...
  const area = parts[2] ?? '';
  if (area === 'authz') return 'AuthzSchemaModified';
  const name = AREA_NAMES[area] ?? area.charAt(0).toUpperCase() + area.slice(1);
  const verbs = parts.slice(3);
  if (verbs.includes('create')) return `${name}Created`;
  if (verbs.includes('delete')) return `${name}Deleted`;
  return `${name}Modified`;
}

// Only these request fields are copied into `data`: ids and names, never values that could be secrets.
const SAFE_FIELDS = [
  'id',
  'name',
  'tenantId',
  'loginId',
  'userId',
  'roleName',
  'permissionName',
  'namespace',
  'status',
];

function managementEvents(r: FinishedRequest): DerivedEvent[] {
  if (!ok(r) || r.method === 'GET' || READS.test(r.route) || r.route === '/v1/mgmt/audit/event') return [];
  if (r.route.startsWith('/v1/mgmt/outbox')) return [];
  // the project and its whole trail are gone: there is nowhere to record it
  if (r.route === '/v1/mgmt/project/delete') return [];
  const action = managementAction(r.route);
  if (!action) return [];
  const body = obj(r.body);
  const res = obj(r.response);
  const data: Obj = { path: r.route };
  for (const field of SAFE_FIELDS)
    if (typeof body[field] === 'string' && body[field]) data[field] = body[field];
  const created = str(res.id) ?? str(obj(res.key).id);
  if (created) data.createdId = created;
  const user = obj(res.user);
  const area = r.route.split('/')[3];
  const tenants = new Set<string>();
  if (str(body.tenantId)) tenants.add(body.tenantId as string);
  if (area === 'tenant') {
    const id = str(body.id) ?? str(res.id);
    if (id) tenants.add(id);
  }
  for (const t of Array.isArray(body.userTenants) ? body.userTenants : [])
    if (str(obj(t).tenantId)) tenants.add(obj(t).tenantId as string);
  const loginIds = strs(user.loginIds);
  if (loginIds.length === 0 && str(body.loginId)) loginIds.push(body.loginId as string);
  return [
    {
      action,
      type: action.endsWith('Deleted') || action === 'Impersonate' ? 'warn' : 'info',
      actorId: 'management',
      userId: str(user.userId) ?? (area === 'user' ? str(body.userId) : undefined),
      loginIds,
      tenants: [...tenants],
      data,
    },
  ];
}

/** The audit events a finished request produced (none for reads, health checks and unknown routes). */
export function eventsFor(r: FinishedRequest): DerivedEvent[] {
  if (r.route.startsWith('/v1/auth/') || r.route.startsWith('/v2/auth/')) return authEvents(r);
  if (r.route.startsWith('/v1/mgmt/') || r.route.startsWith('/v2/mgmt/')) return managementEvents(r);
  return [];
}
