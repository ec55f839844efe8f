import type { Db } from '../../store/db.ts';
import { nowSeconds, parseJson, sha256Hex } from '../../util.ts';
import { defaultFlows, defaultTheme } from './defaults.ts';
import type { FlowDocument, ScreenDocument, ThemeDocument } from './schema.ts';

export type Flow = FlowDocument & {
  id: string;
  name: string;
  description: string;
  disabled: boolean;
  etag: string;
};
export type Screen = ScreenDocument & { flowId: string };
export type FlowWithScreens = { flow: Flow; screens: Screen[] };
export type Theme = ThemeDocument & { id: string; version: number };
export type FlowSummary = { id: string; name: string; description: string; disabled: boolean };

/** JSON with object keys sorted, so the etag does not depend on the order a client sent the keys in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Writes one flow and (when given) replaces its screens. Call inside a transaction. */
export async function putFlow(
  tx: Db,
  projectId: string,
  id: string,
  flow: FlowDocument,
  screens: ScreenDocument[] | undefined,
): Promise<void> {
  const { id: _id, etag: _etag, ...doc } = flow;
  const name = flow.name ?? id;
  const description = flow.description ?? '';
  const disabled = flow.disabled === true;
  const stored = { ...doc, name, description, disabled };
  const current = screens ?? (await loadScreens(tx, projectId, id));
  const etag = sha256Hex(
    canonicalJson({ stored, screens: current.map((sc) => ({ ...sc, flowId: id })) }),
  ).slice(0, 32);
  const values = {
    name,
    description,
    disabled: disabled ? 1 : 0,
    flow_json: JSON.stringify(stored),
    etag,
    modified_time: nowSeconds(),
  };
  await tx
    .insertInto('flows')
    .values({ project_id: projectId, id, ...values })
    .onConflict((oc) => oc.columns(['project_id', 'id']).doUpdateSet(values))
    .execute();
  if (!screens) return;
  await tx.deleteFrom('flow_screens').where('project_id', '=', projectId).where('flow_id', '=', id).execute();
  if (screens.length === 0) return;
  await tx
    .insertInto('flow_screens')
    .values(
      screens.map((s, position) => ({
        project_id: projectId,
        flow_id: id,
        id: s.id,
        position,
        screen_json: JSON.stringify({ ...s, flowId: id }),
      })),
    )
    .execute();
}

async function loadScreens(db: Db, projectId: string, flowId: string): Promise<Screen[]> {
  const rows = await db
    .selectFrom('flow_screens')
    .select('screen_json')
    .where('project_id', '=', projectId)
    .where('flow_id', '=', flowId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({ ...parseJson<ScreenDocument>(r.screen_json, { id: '' }), flowId }));
}

export async function loadFlow(db: Db, projectId: string, id: string): Promise<FlowWithScreens | undefined> {
  const row = await db
    .selectFrom('flows')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const doc = parseJson<FlowDocument>(row.flow_json, {});
  return {
    flow: {
      ...doc,
      id,
      name: row.name,
      description: row.description,
      disabled: row.disabled === 1,
      etag: row.etag,
    },
    screens: await loadScreens(db, projectId, id),
  };
}

export async function listFlows(db: Db, projectId: string, ids?: string[]): Promise<FlowSummary[]> {
  let q = db
    .selectFrom('flows')
    .select(['id', 'name', 'description', 'disabled'])
    .where('project_id', '=', projectId);
  if (ids && ids.length > 0) q = q.where('id', 'in', ids);
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    disabled: r.disabled === 1,
  }));
}

export async function allFlows(db: Db, projectId: string): Promise<FlowWithScreens[]> {
  const out: FlowWithScreens[] = [];
  for (const f of await listFlows(db, projectId)) {
    const loaded = await loadFlow(db, projectId, f.id);
    if (loaded) out.push(loaded);
  }
  return out;
}

/** Deletes the flows named (their screens go with them); returns the ids that existed. */
export async function deleteFlows(tx: Db, projectId: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = (await listFlows(tx, projectId, ids)).map((f) => f.id);
  if (found.length === 0) return [];
  await tx
    .deleteFrom('flow_screens')
    .where('project_id', '=', projectId)
    .where('flow_id', 'in', found)
    .execute();
  await tx.deleteFrom('flows').where('project_id', '=', projectId).where('id', 'in', found).execute();
  return found;
}

export async function loadTheme(db: Db, projectId: string): Promise<Theme | undefined> {
  const row = await db
    .selectFrom('themes')
    .selectAll()
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  if (!row) return undefined;
  const doc = parseJson<ThemeDocument>(row.theme_json, {});
  return { ...doc, id: doc.id ?? 'theme', version: row.version };
}

/** Replaces the theme; its version becomes the previous one plus one. Call inside a transaction. */
export async function putTheme(tx: Db, projectId: string, theme: ThemeDocument): Promise<Theme> {
  const { version: _v, ...doc } = theme;
  const json = JSON.stringify({ ...doc, id: doc.id ?? 'theme' });
  const now = nowSeconds();
  const updated = await tx
    .updateTable('themes')
    .set((eb) => ({ theme_json: json, version: eb('version', '+', 1), modified_time: now }))
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0)
    await tx
      .insertInto('themes')
      .values({ project_id: projectId, theme_json: json, version: 1, modified_time: now })
      .execute();
  return (await loadTheme(tx, projectId))!;
}

/**
 * A project gets the default flows and theme the first time anything reads or writes them. The theme row
 * marks the seeding, so flows a project deleted on purpose never come back.
 */
export async function ensureSeeded(db: Db, projectId: string): Promise<void> {
  const seeded = await db
    .selectFrom('themes')
    .select('project_id')
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  if (seeded) return;
  await db.transaction().execute((tx) => seed(tx, projectId));
}

/** Seeds inside the caller's transaction; a concurrent seeder loses the race on the theme row and does nothing. */
export async function seed(tx: Db, projectId: string): Promise<void> {
  const inserted = await tx
    .insertInto('themes')
    .values({
      project_id: projectId,
      theme_json: JSON.stringify(defaultTheme()),
      version: 1,
      modified_time: nowSeconds(),
    })
    .onConflict((oc) => oc.column('project_id').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return;
  for (const { flow, screens } of defaultFlows())
    await putFlow(tx, projectId, String(flow.id), flow, screens as ScreenDocument[]);
}
