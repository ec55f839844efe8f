/** The file-system schema of the Ruby SDK README ("Manage ReBAC Authz"), as the SDKs send it. */
const self = { nType: 'child', expression: { neType: 'self' } };
const right = (ns: string, target: string, targetNs: string) => ({
  nType: 'child',
  expression: {
    neType: 'relationRight',
    relationDefinition: 'parent',
    relationDefinitionNamespace: ns,
    targetRelationDefinition: target,
    targetRelationDefinitionNamespace: targetNs,
  },
});
const targetSet = (target: string, ns: string) => ({
  nType: 'child',
  expression: {
    neType: 'targetSet',
    targetRelationDefinition: target,
    targetRelationDefinitionNamespace: ns,
  },
});
const union = (...children: unknown[]) => ({ nType: 'union', children });

export const seedSchema = {
  name: 'Files',
  namespaces: [
    {
      name: 'org',
      relationDefinitions: [
        { name: 'parent' },
        {
          name: 'member',
          complexDefinition: union(self, {
            nType: 'child',
            expression: {
              neType: 'relationLeft',
              relationDefinition: 'parent',
              relationDefinitionNamespace: 'org',
              targetRelationDefinition: 'member',
              targetRelationDefinitionNamespace: 'org',
            },
          }),
        },
      ],
    },
    {
      name: 'folder',
      relationDefinitions: [
        { name: 'parent' },
        { name: 'owner', complexDefinition: union(self, right('folder', 'owner', 'folder')) },
        {
          name: 'editor',
          complexDefinition: union(self, right('folder', 'editor', 'folder'), targetSet('owner', 'folder')),
        },
        {
          name: 'viewer',
          complexDefinition: union(self, right('folder', 'viewer', 'folder'), targetSet('editor', 'folder')),
        },
      ],
    },
    {
      name: 'doc',
      relationDefinitions: [
        { name: 'parent' },
        { name: 'owner', complexDefinition: union(self, right('doc', 'owner', 'folder')) },
        {
          name: 'editor',
          complexDefinition: union(self, right('doc', 'editor', 'folder'), targetSet('owner', 'doc')),
        },
        {
          name: 'viewer',
          complexDefinition: union(self, right('doc', 'viewer', 'folder'), targetSet('editor', 'doc')),
        },
      ],
    },
  ],
};

export const clone = <T>(value: T): T => structuredClone(value);

/** A relation as the SDKs send it: a plain target, or a target set. */
export type Rel = {
  resource: string;
  relationDefinition: string;
  namespace: string;
  target?: string;
  targetSetResource?: string;
  targetSetRelationDefinition?: string;
  targetSetRelationDefinitionNamespace?: string;
};

export const rel = (namespace: string, resource: string, relationDefinition: string, target: string) => ({
  namespace,
  resource,
  relationDefinition,
  target,
});
