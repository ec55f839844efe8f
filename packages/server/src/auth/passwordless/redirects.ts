import { LatchkeyError } from '../../errors.ts';
import type { Project } from '../../projects/repo.ts';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The redirect URL of a link: the one asked for, or the project default. It must point to an allowed
 * origin: the project's allow-list, the default's origin, and in development mode any localhost port.
 */
export function resolveRedirect(
  project: Project,
  requested: string | undefined,
  mode: 'development' | 'production',
): string {
  const { defaultRedirectUrl, allowedRedirectOrigins } = project.settings.passwordless;
  const target = requested ?? defaultRedirectUrl;
  if (!target) {
    throw new LatchkeyError(
      'missingArguments',
      'A redirect URL is required (URI / redirectUrl), and the project has no default',
    );
  }
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new LatchkeyError('invalidArguments', `"${target}" is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new LatchkeyError('redirectNotAllowed', 'Redirect URLs must be http or https');
  }
  const allowed = new Set(allowedRedirectOrigins.map((o) => new URL(o).origin));
  if (defaultRedirectUrl) allowed.add(new URL(defaultRedirectUrl).origin);
  const localDev = mode === 'development' && LOCAL_HOSTS.has(url.hostname);
  if (!allowed.has(url.origin) && !localDev) {
    throw new LatchkeyError(
      'redirectNotAllowed',
      `Redirect origin ${url.origin} is not in the project's allowed redirect origins`,
    );
  }
  return url.toString();
}

/** `<redirect>?t=<token>` (the SDK tests extract the token with `verify?t=(.+)`). */
export function linkWithToken(redirect: string, token: string, extra: Record<string, string> = {}): string {
  const url = new URL(redirect);
  url.searchParams.set('t', token);
  for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
  return url.toString();
}
