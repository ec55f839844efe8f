import { LatchkeyError } from '../errors.ts';

export const PROVIDER_TIMEOUT_MS = 10_000;

/** Removes every secret (and its common encodings) from a text bound for an error message or a log. */
export function scrub(text: string, secrets: Array<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')])
      out = out.split(form).join('[redacted]');
  }
  return out;
}

/**
 * A call to a provider's HTTP API: bounded in time, never following redirects (they would carry the
 * credentials elsewhere). Network failures become `deliveryFailed` naming only the host.
 */
export async function providerFetch(
  what: string,
  url: string,
  init: RequestInit,
  timeoutMs = PROVIDER_TIMEOUT_MS,
): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const reason =
      (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'connection failed';
    throw new LatchkeyError(
      'deliveryFailed',
      `Could not reach the ${what} at ${new URL(url).host}: ${reason}`,
    );
  }
}

/** Reads a bounded slice of an error answer (for a provider's own error code and message). */
export async function readErrorBody(res: Response): Promise<string> {
  try {
    return (await res.text()).slice(0, 2000);
  } catch {
    return '';
  }
}
