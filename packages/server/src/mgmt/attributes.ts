import type { AttributeDefinition } from './attributes/definitions.ts';

/** A search value in the attribute's own type: "5" finds the number 5, "true" the boolean true. */
function typed(definition: AttributeDefinition | undefined, value: unknown): unknown {
  if (!definition || typeof value !== 'string') return value;
  if (definition.type === 'number' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  if (definition.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function same(definition: AttributeDefinition | undefined, have: unknown, want: unknown): boolean {
  // Without a definition, values compare as text (the behaviour before typed attributes).
  if (!definition) return String(have) === String(want);
  return have === typed(definition, want);
}

/**
 * Search semantics for custom attributes: every given key must match its value, or any value of a given
 * list. A list-valued attribute (multiSelect) matches when it contains any wanted value. With definitions,
 * comparison is by type (number equality, boolean), not by text.
 */
export function matchesAttributes(
  actual: Record<string, unknown>,
  wanted: Record<string, unknown> | undefined,
  definitions: AttributeDefinition[] = [],
): boolean {
  if (!wanted) return true;
  return Object.entries(wanted).every(([key, value]) => {
    const definition = definitions.find((d) => d.name === key);
    const have = actual[key];
    if (have === undefined) return false;
    const options = Array.isArray(value) ? value : [value];
    if (Array.isArray(have)) return options.some((o) => have.some((h) => same(definition, h, o)));
    return options.some((o) => same(definition, have, o));
  });
}
