import { tokensFromSetCookie } from '../cookies.ts';
import type { CallOptions, Http } from '../http.ts';
import type { JwtResponse } from '../types.ts';

function setCookieLines(headers: Headers): string[] {
  if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
  const joined = headers.get('set-cookie');
  // Fetch implementations without getSetCookie join the headers with ", "; split before each "name=".
  return joined ? joined.split(/,(?=\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+=)/) : [];
}

/**
 * POSTs a call that answers with a JWT response. Tokens missing from the body are taken from the
 * `DS`/`DSR` `Set-Cookie` headers, as Descope projects that deliver tokens in cookies send them.
 */
export async function postForJwt(http: Http, path: string, options: CallOptions): Promise<JwtResponse> {
  const { body, headers } = await http.send<JwtResponse>('POST', path, options);
  if (body.sessionJwt && body.refreshJwt) return body;
  const cookies = tokensFromSetCookie(setCookieLines(headers));
  return {
    ...body,
    sessionJwt: body.sessionJwt || cookies.sessionJwt || '',
    ...(body.refreshJwt || cookies.refreshJwt ? { refreshJwt: body.refreshJwt || cookies.refreshJwt } : {}),
  };
}
