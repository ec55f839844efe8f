import { z } from 'zod';
import { logSchemaChange } from '../../authz/changes.ts';
import * as authzRepo from '../../authz/repo.ts';
import { checkSchema } from '../../authz/schema-check.ts';
import { type AuthzSchema, schemaSchema } from '../../authz/types.ts';
import { LatchkeyError } from '../../errors.ts';
import type { Project } from '../../projects/repo.ts';
import { type ProjectSettings, projectSettingsSchema } from '../../projects/settings.ts';
import type { Db } from '../../store/db.ts';
import { nowSeconds, parseJson } from '../../util.ts';
import {
  type AttributeDefinition,
  type AttributeScope,
  createAttributeDefinitions,
  definitionInput,
  normalize as normalizeDefinition,
  toWireDefinition,
} from '../attributes/definitions.ts';
import * as flows from '../flows/repo.ts';
import {
  type FlowDocument,
  flowDocument,
  flowId,
  flowProblems,
  MAX_FLOWS_PER_PROJECT,
  type ScreenDocument,
  screensList,
  type ThemeDocument,
  themeDocument,
  themeProblems,
} from '../flows/schema.ts';

/**
 * The snapshot format this server writes and the newest it reads. Raise it when a file changes meaning;
 * an older server then refuses the newer snapshot instead of importing half of it.
 */
export const SNAPSHOT_SCHEMA_VERSION = 1;

/** The parts of a snapshot; each can be left out of an import with `excludes`. */
export const SNAPSHOT_PARTS = [
  'settings',
  'permissions',
  'roles',
  'flows',
  'theme',
  'authz',
  'customAttributes',
] as const;
type Part = (typeof SNAPSHOT_PARTS)[number];

const name = z.string().min(1).max(256);
const MAX_ATTRIBUTES_PER_SCOPE = 1000;
const ATTRIBUTE_SCOPES: AttributeScope[] = ['user', 'tenant'];
const files = {
  project: z.looseObject({ schemaVersion: z.number().int().min(1), name: z.string().max(256).optional() }),
  permissions: z.object({
    permissions: z.array(z.object({ name, description: z.string().max(2048).optional() })).max(10_000),
  }),
  roles: z.object({
    roles: z
      .array(
        z.object({
          name,
          description: z.string().max(2048).optional(),
          permissionNames: z.array(name).max(1000).optional(),
          default: z.boolean().optional(),
          private: z.boolean().optional(),
        }),
      )
      .max(10_000),
  }),
  flow: z.object({ flow: flowDocument, screens: screensList.optional() }),
  theme: z.object({ theme: themeDocument }),
  authz: z.object({ schema: schemaSchema.nullable() }),
  // Definitions in the wire form the list route answers; each is read with the create route's own
  // input schema (definitionInput) in planImport, so every bad definition is listed.
  customAttributes: z.object({
    user: z.array(z.unknown()).max(MAX_ATTRIBUTES_PER_SCOPE).optional(),
    tenant: z.array(z.unknown()).max(MAX_ATTRIBUTES_PER_SCOPE).optional(),
  }),
};

type Plan = {
  schemaVersion: number;
  settings?: Omit<ProjectSettings, 'delivery'>;
  permissions?: z.infer<typeof files.permissions>['permissions'];
  roles?: z.infer<typeof files.roles>['roles'];
  flows?: { id: string; flow: FlowDocument; screens: ScreenDocument[] }[];
  theme?: ThemeDocument;
  authz?: AuthzSchema | null;
  /** A scope present here replaces that scope's definitions; an absent scope is left alone. */
  customAttributes?: Partial<Record<AttributeScope, AttributeDefinition[]>>;
};

export type SnapshotFiles = Record<string, unknown>;

const attributes = createAttributeDefinitions();

/** Exports the project's configuration as `{files}` (docs/projects.md lists each file). Never users or secrets. */
export async function exportSnapshot(db: Db, project: Project): Promise<SnapshotFiles> {
  await flows.ensureSeeded(db, project.id);
  const { delivery: _secrets, ...settings } = project.settings;
  const permissions = await db
    .selectFrom('permissions')
    .select(['name', 'description'])
    .where('project_id', '=', project.id)
    .orderBy('name')
    .execute();
  const roles = await db
    .selectFrom('roles')
    .selectAll()
    .where('project_id', '=', project.id)
    .where('tenant_id', '=', '')
    .orderBy('name')
    .execute();
  const out: SnapshotFiles = {
    'project.json': {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      name: project.name,
      exportedFrom: project.id,
      exportedTime: nowSeconds(),
    },
    'settings.json': settings,
    'permissions.json': { permissions },
    'roles.json': {
      roles: roles.map((r) => ({
        name: r.name,
        description: r.description,
        permissionNames: parseJson<string[]>(r.permission_names_json, []),
        default: r.is_default === 1,
        private: r.is_private === 1,
      })),
    },
    'theme.json': { theme: await flows.loadTheme(db, project.id) },
    'authz.json': { schema: (await authzRepo.loadSchema(db, project.id)) ?? null },
    'customAttributes.json': {
      user: (await attributes.list(db, project.id, 'user')).map(toWireDefinition),
      tenant: (await attributes.list(db, project.id, 'tenant')).map(toWireDefinition),
    },
  };
  for (const f of await flows.allFlows(db, project.id)) out[`flows/${f.flow.id}.json`] = f;
  return out;
}

const issues = (file: string, error: z.ZodError) =>
  error.issues.map((i) => `${file}: ${i.path.join('.') || '(document)'}: ${i.message}`);

/**
 * Reads and checks every file before anything is written. `failures` lists every problem found;
 * `newer` is set when the snapshot comes from a newer format than this server reads.
 */
export function planImport(
  input: SnapshotFiles,
  excludes: string[],
): { plan?: Plan; failures: string[]; newer: boolean } {
  const failures: string[] = [];
  const skip = (part: Part) => excludes.includes(part);
  const project = files.project.safeParse(input['project.json']);
  if (!project.success) {
    failures.push(
      input['project.json'] === undefined
        ? 'project.json: missing (every snapshot has one, with its schemaVersion)'
        : issues('project.json', project.error).join('; '),
    );
    return { failures, newer: false };
  }
  const schemaVersion = project.data.schemaVersion;
  if (schemaVersion > SNAPSHOT_SCHEMA_VERSION) {
    failures.push(
      `project.json: schemaVersion ${schemaVersion} is newer than this server reads (${SNAPSHOT_SCHEMA_VERSION}): upgrade Latchkey first`,
    );
    return { failures, newer: true };
  }
  const plan: Plan = { schemaVersion };
  const read = <S extends z.ZodType>(file: string, schema: S): z.infer<S> | undefined => {
    if (input[file] === undefined) return undefined;
    const parsed = schema.safeParse(input[file]);
    if (parsed.success) return parsed.data;
    failures.push(...issues(file, parsed.error));
    return undefined;
  };
  if (!skip('settings') && input['settings.json'] !== undefined) {
    const raw = input['settings.json'];
    const parsed = projectSettingsSchema.safeParse(
      raw && typeof raw === 'object' ? { ...(raw as object), delivery: {} } : raw,
    );
    if (parsed.success) {
      const { delivery: _d, ...settings } = parsed.data;
      plan.settings = settings;
    } else failures.push(...issues('settings.json', parsed.error));
  }
  if (!skip('permissions')) plan.permissions = read('permissions.json', files.permissions)?.permissions;
  if (!skip('roles')) plan.roles = read('roles.json', files.roles)?.roles;
  if (!skip('flows')) {
    const found: NonNullable<Plan['flows']> = [];
    for (const file of Object.keys(input)
      .filter((f) => f.startsWith('flows/'))
      .sort()) {
      const id = /^flows\/(.+)\.json$/.exec(file)?.[1] ?? '';
      if (!flowId.safeParse(id).success) {
        failures.push(`${file}: not a flow file name (flows/<flowId>.json)`);
        continue;
      }
      const doc = read(file, files.flow);
      if (!doc) continue;
      const problems = flowProblems(id, doc.flow, doc.screens);
      failures.push(...problems.map((p) => `${file}: ${p}`));
      found.push({ id, flow: doc.flow, screens: doc.screens ?? [] });
    }
    if (found.length > MAX_FLOWS_PER_PROJECT)
      failures.push(`flows: ${found.length} flows, more than the limit of ${MAX_FLOWS_PER_PROJECT}`);
    if (found.length > 0) plan.flows = found;
  }
  if (!skip('theme')) {
    const theme = read('theme.json', files.theme)?.theme;
    if (theme) {
      failures.push(...themeProblems(theme).map((p) => `theme.json: ${p}`));
      plan.theme = theme;
    }
  }
  if (!skip('authz')) {
    const authz = read('authz.json', files.authz);
    if (authz) {
      if (authz.schema) {
        try {
          checkSchema(authz.schema);
        } catch (err) {
          failures.push(`authz.json: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      plan.authz = authz.schema;
    }
  }
  if (!skip('customAttributes')) {
    const doc = read('customAttributes.json', files.customAttributes);
    if (doc) {
      const found: NonNullable<Plan['customAttributes']> = {};
      for (const scope of ATTRIBUTE_SCOPES) {
        const inputs = doc[scope];
        if (!inputs) continue;
        const definitions: AttributeDefinition[] = [];
        for (const [i, raw] of inputs.entries()) {
          const input = definitionInput.safeParse(raw);
          if (!input.success) {
            for (const issue of input.error.issues)
              failures.push(
                `customAttributes.json: ${[scope, i, ...issue.path].join('.')}: ${issue.message}`,
              );
            continue;
          }
          try {
            definitions.push(normalizeDefinition(input.data));
          } catch (err) {
            failures.push(
              `customAttributes.json: ${scope}: ${err instanceof Error ? err.message : String(err)}`,
            );
          }
        }
        const dup = definitions.map((d) => d.name).find((n, i, all) => all.indexOf(n) !== i);
        if (dup) failures.push(`customAttributes.json: ${scope} attribute ${dup} appears more than once`);
        found[scope] = definitions;
      }
      plan.customAttributes = found;
    }
  }
  const known = new Set([...(plan.permissions ?? []).map((p) => p.name)]);
  for (const role of plan.roles ?? []) {
    const names = role.permissionNames ?? [];
    const unknown = names.filter((n) => !known.has(n));
    if (unknown.length > 0 && plan.permissions)
      failures.push(`roles.json: role ${role.name} grants unknown permissions: ${unknown.join(', ')}`);
  }
  const dupRole = (plan.roles ?? []).map((r) => r.name).find((n, i, all) => all.indexOf(n) !== i);
  if (dupRole) failures.push(`roles.json: role ${dupRole} appears more than once`);
  const dupPerm = (plan.permissions ?? []).map((p) => p.name).find((n, i, all) => all.indexOf(n) !== i);
  if (dupPerm) failures.push(`permissions.json: permission ${dupPerm} appears more than once`);
  return failures.length > 0 ? { failures, newer: false } : { plan, failures, newer: false };
}

/** Checks that need the target project: roles may grant permissions the project already has. */
async function failuresAgainstProject(db: Db, projectId: string, plan: Plan): Promise<string[]> {
  if (!plan.roles || plan.permissions) return [];
  const have = new Set(
    (await db.selectFrom('permissions').select('name').where('project_id', '=', projectId).execute()).map(
      (p) => p.name,
    ),
  );
  const missing = [
    ...new Set(plan.roles.flatMap((r) => (r.permissionNames ?? []).filter((n) => !have.has(n)))),
  ];
  return missing.length > 0
    ? [`roles.json: roles grant permissions this project does not have: ${missing.join(', ')}`]
    : [];
}

/** `{ok, failures}` for the validate call: the same checks as an import, without writing. */
export async function validateSnapshot(
  db: Db,
  project: Project,
  input: SnapshotFiles,
  excludes: string[],
): Promise<string[]> {
  const { plan, failures } = planImport(input, excludes);
  return plan ? failuresAgainstProject(db, project.id, plan) : failures;
}

/** Validates the whole snapshot, then applies it in one transaction; anything wrong → 400, nothing changed. */
export async function importSnapshot(
  db: Db,
  project: Project,
  input: SnapshotFiles,
  excludes: string[],
): Promise<void> {
  const { plan, failures, newer } = planImport(input, excludes);
  if (newer) throw new LatchkeyError('snapshotVersionUnsupported', failures.join('; '));
  if (!plan) throw new LatchkeyError('snapshotInvalid', failures.join('; '));
  await db.transaction().execute(async (tx) => {
    const now = nowSeconds();
    if (plan.settings) {
      // Delivery settings hold provider credentials: never exported, so the target's are kept.
      const settings: ProjectSettings = { ...plan.settings, delivery: project.settings.delivery };
      await tx
        .updateTable('projects')
        .set({ settings_json: JSON.stringify(settings) })
        .where('id', '=', project.id)
        .execute();
    }
    // Checked inside the transaction: a permission deleted meanwhile cannot slip past the check.
    const conflicts = await failuresAgainstProject(tx, project.id, plan);
    if (conflicts.length > 0) throw new LatchkeyError('snapshotInvalid', conflicts.join('; '));
    for (const p of plan.permissions ?? []) {
      const values = { description: p.description ?? '' };
      await tx
        .insertInto('permissions')
        .values({ project_id: project.id, name: p.name, created_time: now, ...values })
        .onConflict((oc) => oc.columns(['project_id', 'name']).doUpdateSet(values))
        .execute();
    }
    for (const r of plan.roles ?? []) {
      const values = {
        description: r.description ?? '',
        permission_names_json: JSON.stringify([...new Set(r.permissionNames ?? [])]),
        is_default: r.default ? 1 : 0,
        is_private: r.private ? 1 : 0,
      };
      await tx
        .insertInto('roles')
        .values({ project_id: project.id, tenant_id: '', name: r.name, created_time: now, ...values })
        .onConflict((oc) => oc.columns(['project_id', 'tenant_id', 'name']).doUpdateSet(values))
        .execute();
    }
    if (plan.flows || plan.theme) await flows.seed(tx, project.id);
    if (plan.flows) {
      const current = (await flows.listFlows(tx, project.id)).map((f) => f.id);
      await flows.deleteFlows(tx, project.id, current);
      for (const f of plan.flows) await flows.putFlow(tx, project.id, f.id, f.flow, f.screens);
    }
    if (plan.theme) await flows.putTheme(tx, project.id, plan.theme);
    if (plan.authz !== undefined) {
      // Reported by getmodified like a schema edit through the authz routes (src/authz/service.ts).
      const old = (await authzRepo.loadSchema(tx, project.id)) ?? null;
      if (JSON.stringify(old) !== JSON.stringify(plan.authz ?? null)) await logSchemaChange(tx, project.id);
      if (plan.authz) {
        await authzRepo.storeSchema(tx, project.id, plan.authz);
        await authzRepo.pruneRelations(tx, project.id, plan.authz);
      } else {
        await tx.deleteFrom('authz_schemas').where('project_id', '=', project.id).execute();
        await authzRepo.deleteAllRelations(tx, project.id);
      }
      await authzRepo.bumpVersion(tx, project.id);
    }
    for (const [scope, definitions] of Object.entries(plan.customAttributes ?? {})) {
      // Replaced like the theme: the scope holds exactly the snapshot's definitions afterwards.
      await tx
        .deleteFrom('custom_attributes')
        .where('project_id', '=', project.id)
        .where('scope', '=', scope)
        .execute();
      if (definitions.length > 0)
        await tx
          .insertInto('custom_attributes')
          .values(
            definitions.map((d) => ({
              project_id: project.id,
              scope,
              name: d.name,
              definition_json: JSON.stringify(d),
              created_time: now,
            })),
          )
          .execute();
    }
  });
}
