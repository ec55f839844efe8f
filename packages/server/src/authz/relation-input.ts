import { LatchkeyError } from '../errors.ts';
import type { AuthzRelationInput, StoredRelation } from './types.ts';

/** A relation's target: a plain id, or a target set (everyone with that relation on that resource). */
export function toStored(r: AuthzRelationInput, defined: Set<string>): StoredRelation {
  if (!defined.has(`${r.namespace}#${r.relationDefinition}`))
    throw new LatchkeyError(
      'authzUnknownRelation',
      `Unknown relation definition ${r.namespace}#${r.relationDefinition}`,
    );
  const base = { namespace: r.namespace, resource: r.resource, relationDefinition: r.relationDefinition };
  if (r.target)
    return {
      ...base,
      target: r.target,
      targetSetResource: '',
      targetSetRelationDefinition: '',
      targetSetNamespace: '',
    };
  if (r.targetSetResource && r.targetSetRelationDefinition) {
    const ns = r.targetSetRelationDefinitionNamespace ?? r.namespace;
    if (!defined.has(`${ns}#${r.targetSetRelationDefinition}`))
      throw new LatchkeyError(
        'authzUnknownRelation',
        `Unknown target set relation definition ${ns}#${r.targetSetRelationDefinition}`,
      );
    return {
      ...base,
      target: '',
      targetSetResource: r.targetSetResource,
      targetSetRelationDefinition: r.targetSetRelationDefinition,
      targetSetNamespace: ns,
    };
  }
  if (r.query)
    throw new LatchkeyError(
      'invalidArguments',
      'Relations whose target is a user query are not supported yet',
    );
  throw new LatchkeyError(
    'missingArguments',
    'A relation needs a target, or a targetSetResource with a targetSetRelationDefinition',
  );
}

/** Relation deletes match exactly what was stored, without consulting the schema. */
export const toStoredLoose = (r: AuthzRelationInput): StoredRelation => ({
  namespace: r.namespace,
  resource: r.resource,
  relationDefinition: r.relationDefinition,
  target: r.target ?? '',
  targetSetResource: r.target ? '' : (r.targetSetResource ?? ''),
  targetSetRelationDefinition: r.target ? '' : (r.targetSetRelationDefinition ?? ''),
  targetSetNamespace: r.target
    ? ''
    : (r.targetSetRelationDefinitionNamespace ?? (r.targetSetResource ? r.namespace : '')),
});
