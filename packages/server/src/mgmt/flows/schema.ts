import { z } from 'zod';
import { LatchkeyError } from '../../errors.ts';

/** Largest flow document (the flow and its screens, serialized), and largest theme. */
export const MAX_FLOW_BYTES = 512 * 1024;
export const MAX_THEME_BYTES = 256 * 1024;
export const MAX_SCREENS = 200;
export const MAX_FLOWS_PER_PROJECT = 500;

export const flowId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, "-", "_" and "." only');

/** A Flow (reference §3.9): a few known fields, anything else kept as sent. */
export const flowDocument = z.looseObject({
  id: z.string().max(128).optional(),
  name: z.string().max(256).optional(),
  description: z.string().max(4096).optional(),
  dsl: z.unknown().optional(),
  disabled: z.boolean().optional(),
  etag: z.string().optional(),
});

export const screenDocument = z.looseObject({
  id: flowId,
  flowId: z.string().max(128).optional(),
  inputs: z.unknown().optional(),
  interactions: z.unknown().optional(),
  htmlTemplate: z.unknown().optional(),
});

export const themeDocument = z.looseObject({
  id: z.string().max(128).optional(),
  cssTemplate: z.unknown().optional(),
  version: z.number().optional(),
});

export type FlowDocument = z.infer<typeof flowDocument>;
export type ScreenDocument = z.infer<typeof screenDocument>;
export type ThemeDocument = z.infer<typeof themeDocument>;

export const screensList = z.array(screenDocument).max(MAX_SCREENS);

export const bodies = {
  list: z.object({ ids: z.array(z.string()).max(1000).optional() }),
  delete: z.object({ ids: z.array(flowId).min(1).max(1000) }),
  export: z.object({ flowId }),
  importV1: z.object({ flowId, flow: flowDocument, screens: screensList.optional() }),
  // Go: `{flow: {<flow fields>, flowId}}`; screens may ride along inside or beside it.
  importV2: z.object({
    flow: flowDocument.extend({ flowId: z.string().max(128).optional(), screens: screensList.optional() }),
    screens: screensList.optional(),
  }),
  themeImport: z.object({ theme: themeDocument }),
};

/**
 * Flow and theme documents are opaque: an empty string or a null deep inside a DSL is data, so unlike
 * `parseInput` only the top-level keys are cleaned (the Go SDK sends `""`/`null` for unset arguments).
 */
export function parseDocumentInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const source: Record<string, unknown> = {};
  if (input && typeof input === 'object' && !Array.isArray(input)) {
    for (const [k, v] of Object.entries(input)) if (v !== null && v !== '' && v !== undefined) source[k] = v;
  } else if (input !== undefined && input !== null) {
    throw new LatchkeyError('invalidRequest', 'Invalid request: body must be a JSON object');
  }
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const missing = issues.filter(
    (i) => i.code === 'invalid_type' && i.path.length === 1 && !(String(i.path[0]) in source),
  );
  if (missing.length > 0 && missing.length === issues.length)
    throw new LatchkeyError(
      'missingArguments',
      `Missing required fields: ${missing.map((i) => i.path.join('.')).join(', ')}`,
    );
  throw new LatchkeyError(
    'invalidRequest',
    `Invalid request: ${issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
  );
}

/** Size and consistency rules shared by flow import and snapshot import; returns the problems found. */
export function flowProblems(
  id: string,
  flow: FlowDocument,
  screens: ScreenDocument[] | undefined,
): string[] {
  const problems: string[] = [];
  const size = Buffer.byteLength(JSON.stringify({ flow, screens: screens ?? [] }));
  if (size > MAX_FLOW_BYTES)
    problems.push(`flow ${id}: ${size} bytes is more than the limit of ${MAX_FLOW_BYTES}`);
  const ids = (screens ?? []).map((s) => s.id);
  const dup = ids.find((s, i) => ids.indexOf(s) !== i);
  if (dup) problems.push(`flow ${id}: screen ${dup} appears more than once`);
  return problems;
}

export function themeProblems(theme: ThemeDocument): string[] {
  const size = Buffer.byteLength(JSON.stringify(theme));
  return size > MAX_THEME_BYTES ? [`theme: ${size} bytes is more than the limit of ${MAX_THEME_BYTES}`] : [];
}
