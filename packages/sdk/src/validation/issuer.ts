/**
 * The Node SDK's issuer rule (reference §1.9): `iss` is the project id itself, or a URL (or
 * slash-separated string) whose last or second-to-last path segment is the project id. For a URL only
 * the path counts, so `https://P123/x` does not name project `P123`.
 */
export function issuerNamesProject(iss: unknown, projectId: string): boolean {
  if (typeof iss !== 'string' || !iss || !projectId) return false;
  if (iss === projectId) return true;
  const named = (segments: string[]) => segments.at(-1) === projectId || segments.at(-2) === projectId;
  let path = iss;
  try {
    path = new URL(iss).pathname;
  } catch {
    // not a URL: split the string itself
  }
  return named(path.split('/').filter((s) => s.length > 0));
}
