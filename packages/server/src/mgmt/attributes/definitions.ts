import { z } from 'zod';
import { LatchkeyError } from '../../errors.ts';
import type { Db } from '../../store/db.ts';
import { nowSeconds, parseJson } from '../../util.ts';

export type AttributeScope = 'user' | 'tenant';
export const ATTRIBUTE_TYPES = ['text', 'number', 'boolean', 'singleSelect', 'multiSelect', 'date'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/**
 * Descope's SDKs type `CustomAttribute.type` as a number. 1 text, 2 number and 3 boolean are what Descope's
 * own migration scripts send; 4–6 are Latchkey's choice (docs/custom-attributes.md). Names are accepted too.
 */
const TYPE_NUMBERS: Record<AttributeType, number> = {
  text: 1,
  number: 2,
  boolean: 3,
  singleSelect: 4,
  multiSelect: 5,
  date: 6,
};
const TYPE_ALIASES: Record<string, AttributeType> = {
  string: 'text',
  singleselect: 'singleSelect',
  multiselect: 'multiSelect',
};

export type AttributeDefinition = {
  name: string;
  type: AttributeType;
  displayName: string;
  options: { value: string; label: string }[];
  /** Latchkey extension: put the attribute under the `customAttributes` claim of session JWTs */
  includeInJwt: boolean;
  defaultValue?: unknown;
  viewPermissions: string[];
  editPermissions: string[];
};

const typeInput = z.union([z.number().int(), z.string()]).transform((t, ctx): AttributeType => {
  const byNumber = Object.entries(TYPE_NUMBERS).find(([, n]) => n === t)?.[0];
  const named = typeof t === 'string' ? (TYPE_ALIASES[t.toLowerCase()] ?? t) : byNumber;
  if (named && (ATTRIBUTE_TYPES as readonly string[]).includes(named)) return named as AttributeType;
  ctx.addIssue({
    code: 'custom',
    message: `must be one of ${ATTRIBUTE_TYPES.join(', ')} (or 1–6)`,
  });
  return z.NEVER;
});

export const definitionInput = z.object({
  name: z
    .string()
    .regex(
      /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/,
      'must start with a letter or "_" and hold letters, digits, "_", "-", "."',
    ),
  type: typeInput,
  displayName: z.string().max(256).optional(),
  options: z
    .array(z.object({ value: z.string().min(1).max(256), label: z.string().max(256).optional() }))
    .max(500)
    .optional(),
  includeInJwt: z.boolean().optional(),
  defaultValue: z.unknown().optional(),
  viewPermissions: z.array(z.string()).max(100).optional(),
  editPermissions: z.array(z.string()).max(100).optional(),
});
export type DefinitionInput = z.infer<typeof definitionInput>;

export const toWireDefinition = (d: AttributeDefinition) => ({
  name: d.name,
  type: TYPE_NUMBERS[d.type],
  typeName: d.type,
  displayName: d.displayName,
  options: d.options,
  includeInJwt: d.includeInJwt,
  ...(d.defaultValue !== undefined ? { defaultValue: d.defaultValue } : {}),
  viewPermissions: d.viewPermissions,
  editPermissions: d.editPermissions,
});

/** The create route's rules (options, unique option values, defaultValue); a problem → `invalidArguments`. */
export function normalize(input: DefinitionInput): AttributeDefinition {
  const selects = input.type === 'singleSelect' || input.type === 'multiSelect';
  const options = (input.options ?? []).map((o) => ({ value: o.value, label: o.label ?? o.value }));
  if (selects && options.length === 0)
    throw new LatchkeyError('invalidArguments', `Attribute ${input.name}: a ${input.type} needs options`);
  if (!selects && options.length > 0)
    throw new LatchkeyError('invalidArguments', `Attribute ${input.name}: only select types take options`);
  if (new Set(options.map((o) => o.value)).size !== options.length)
    throw new LatchkeyError('invalidArguments', `Attribute ${input.name}: option values must be unique`);
  const definition: AttributeDefinition = {
    name: input.name,
    type: input.type,
    displayName: input.displayName || input.name,
    options,
    includeInJwt: input.includeInJwt ?? false,
    viewPermissions: input.viewPermissions ?? [],
    editPermissions: input.editPermissions ?? [],
  };
  if (input.defaultValue !== undefined && input.defaultValue !== null && input.defaultValue !== '') {
    const problem = valueProblem(definition, input.defaultValue);
    if (problem)
      throw new LatchkeyError('invalidArguments', `Attribute ${input.name}: defaultValue ${problem}`);
    definition.defaultValue = input.defaultValue;
  }
  return definition;
}

// ISO 8601 calendar date, optionally with a time and an offset.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function isDate(value: unknown): boolean {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return (
    day.getUTCFullYear() === y &&
    day.getUTCMonth() === m - 1 &&
    day.getUTCDate() === d &&
    !Number.isNaN(Date.parse(value))
  );
}

/** Why a value does not fit its definition, or undefined when it does. */
export function valueProblem(d: AttributeDefinition, value: unknown): string | undefined {
  const allowed = (v: unknown) => typeof v === 'string' && d.options.some((o) => o.value === v);
  switch (d.type) {
    case 'text':
      return typeof value === 'string' ? undefined : 'must be a string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'date':
      return isDate(value)
        ? undefined
        : 'must be an ISO 8601 date such as 2024-05-31 or 2024-05-31T12:00:00Z';
    case 'singleSelect':
      return allowed(value) ? undefined : `must be one of ${d.options.map((o) => o.value).join(', ')}`;
    case 'multiSelect':
      return Array.isArray(value) && value.every(allowed)
        ? undefined
        : `must be a list of ${d.options.map((o) => o.value).join(', ')}`;
  }
}

/** Storage and rules of custom attribute definitions, per project and scope. */
export function createAttributeDefinitions() {
  async function list(db: Db, projectId: string, scope: AttributeScope): Promise<AttributeDefinition[]> {
    const rows = await db
      .selectFrom('custom_attributes')
      .select('definition_json')
      .where('project_id', '=', projectId)
      .where('scope', '=', scope)
      .orderBy('name')
      .execute();
    return rows.map((r) => parseJson<AttributeDefinition>(r.definition_json, {} as AttributeDefinition));
  }

  return {
    list,

    /** Creates or replaces the given definitions in one transaction; answers every definition of the scope. */
    async upsert(db: Db, projectId: string, scope: AttributeScope, inputs: DefinitionInput[]) {
      const definitions = inputs.map(normalize);
      if (new Set(definitions.map((d) => d.name)).size !== definitions.length)
        throw new LatchkeyError('invalidArguments', 'Attribute names must be unique');
      await db.transaction().execute(async (tx) => {
        for (const d of definitions) {
          await tx
            .deleteFrom('custom_attributes')
            .where('project_id', '=', projectId)
            .where('scope', '=', scope)
            .where('name', '=', d.name)
            .execute();
          await tx
            .insertInto('custom_attributes')
            .values({
              project_id: projectId,
              scope,
              name: d.name,
              definition_json: JSON.stringify(d),
              created_time: nowSeconds(),
            })
            .execute();
        }
      });
      return list(db, projectId, scope);
    },

    /** Removes definitions (values already stored on users or tenants stay). Unknown names → 404. */
    async remove(db: Db, projectId: string, scope: AttributeScope, names: string[]) {
      const existing = new Set((await list(db, projectId, scope)).map((d) => d.name));
      const missing = names.filter((n) => !existing.has(n));
      if (missing.length > 0)
        throw new LatchkeyError(
          'customAttributeNotFound',
          `Unknown ${scope} attributes: ${missing.join(', ')}`,
        );
      if (names.length > 0) {
        await db
          .deleteFrom('custom_attributes')
          .where('project_id', '=', projectId)
          .where('scope', '=', scope)
          .where('name', 'in', names)
          .execute();
      }
      return list(db, projectId, scope);
    },

    /**
     * The write rule: with no definitions in the scope any key is accepted (backward compatible); once one
     * exists, every key must be defined and every value fit its type. `null` clears a value.
     */
    async check(
      db: Db,
      projectId: string,
      scope: AttributeScope,
      values: Record<string, unknown> | undefined,
    ): Promise<void> {
      if (!values || Object.keys(values).length === 0) return;
      const definitions = await list(db, projectId, scope);
      checkAgainst(definitions, scope, values);
    },
  };
}

export function checkAgainst(
  definitions: AttributeDefinition[],
  scope: AttributeScope,
  values: Record<string, unknown>,
): void {
  if (definitions.length === 0) return;
  const problems: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const d = definitions.find((x) => x.name === key);
    if (!d) {
      problems.push(`unknown ${scope} attribute "${key}"`);
      continue;
    }
    if (value === null) continue;
    const problem = valueProblem(d, value);
    if (problem) problems.push(`${key} ${problem}`);
  }
  if (problems.length > 0) throw new LatchkeyError('invalidCustomAttribute', problems.join('; '));
}
