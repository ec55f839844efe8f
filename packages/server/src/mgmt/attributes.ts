/** Search semantics for custom attributes: every given key must match its value, or any value of a given list. */
export function matchesAttributes(
  actual: Record<string, unknown>,
  wanted: Record<string, unknown> | undefined,
): boolean {
  if (!wanted) return true;
  return Object.entries(wanted).every(([key, value]) => {
    const have = actual[key];
    const options = Array.isArray(value) ? value : [value];
    if (Array.isArray(have)) return options.some((o) => have.some((h) => String(h) === String(o)));
    return options.some((o) => String(have) === String(o));
  });
}
