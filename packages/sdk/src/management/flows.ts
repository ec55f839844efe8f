import type { Http } from '../http.ts';

/**
 * A flow document (reference §3.9). Latchkey stores flows without running them; fields it does not know
 * are kept as sent.
 *
 * @example
 * ```ts
 * const flow: Flow = { id: 'sign-in', name: 'Sign In', disabled: false, dsl: { startTask: 'sign-in' } };
 * ```
 */
export type Flow = {
  id: string;
  name: string;
  description?: string;
  dsl?: unknown;
  disabled: boolean;
  /** computed by the server from the flow and its screens; ignored on import */
  etag?: string;
  [field: string]: unknown;
};

/**
 * One screen of a flow.
 *
 * @example
 * ```ts
 * const screen: FlowScreen = { id: 'welcome', flowId: 'sign-in', htmlTemplate: '<p>Hi</p>' };
 * ```
 */
export type FlowScreen = {
  id: string;
  flowId: string;
  inputs?: unknown;
  interactions?: unknown;
  htmlTemplate?: unknown;
  [field: string]: unknown;
};

/**
 * A flow with its screens, as export and import answer it.
 *
 * @example
 * ```ts
 * const { flow, screens }: FlowWithScreens = await client.management.flow.export('sign-up-or-in');
 * ```
 */
export type FlowWithScreens = { flow: Flow; screens: FlowScreen[] };

/**
 * A flow as the list answers it.
 *
 * @example
 * ```ts
 * const { flows } = await client.management.flow.list();
 * const names = flows.map((f: FlowSummary) => f.name);
 * ```
 */
export type FlowSummary = { id: string; name: string; description: string; disabled: boolean };

/**
 * The project theme: `cssTemplate` is any JSON; `version` grows by one on every import.
 *
 * @example
 * ```ts
 * const theme: Theme = { id: 'theme', cssTemplate: { light: { colors: { primary: '#3f51b5' } } }, version: 1 };
 * ```
 */
export type Theme = { id: string; cssTemplate?: unknown; version: number; [field: string]: unknown };

/**
 * Flows (reference §3.9): list, export, import, delete. See docs/flows.md.
 *
 * @example
 * ```ts
 * const { flow, screens } = await client.management.flow.export('sign-up-or-in');
 * await client.management.flow.import('my-copy', { ...flow, name: 'My copy' }, screens);
 * ```
 */
export type FlowApi = {
  /**
   * Lists the project's flows, or only those with the given ids.
   *
   * @example
   * ```ts
   * const { flows, total } = await client.management.flow.list(['sign-up-or-in']);
   * ```
   */
  list(ids?: string[]): Promise<{ flows: FlowSummary[]; total: number }>;
  /**
   * Exports a flow with its screens; an unknown id is a 404 (`E121101`).
   *
   * @example
   * ```ts
   * const exported = await client.management.flow.export('sign-in');
   * ```
   */
  export(flowId: string): Promise<FlowWithScreens>;
  /**
   * Creates or replaces the flow `flowId`. Given `screens` (even `[]`) replace the flow's screens; without
   * them the flow keeps its screens.
   *
   * @example
   * ```ts
   * const saved = await client.management.flow.import('my-flow', { name: 'Mine', dsl: {} }, []);
   * ```
   */
  import(flowId: string, flow: Partial<Flow>, screens?: Partial<FlowScreen>[]): Promise<FlowWithScreens>;
  /**
   * Deletes the given flows (ids that do not exist are ignored).
   *
   * @example
   * ```ts
   * await client.management.flow.delete(['my-flow']);
   * ```
   */
  delete(ids: string[]): Promise<void>;
};

/**
 * The project theme (reference §3.9).
 *
 * @example
 * ```ts
 * const { theme } = await client.management.theme.export();
 * const next = await client.management.theme.import(theme); // next.version === theme.version + 1
 * ```
 */
export type ThemeApi = {
  /**
   * Exports the theme.
   *
   * @example
   * ```ts
   * const { theme } = await client.management.theme.export();
   * ```
   */
  export(): Promise<{ theme: Theme }>;
  /**
   * Replaces the theme; the answer carries the new version (previous + 1).
   *
   * @example
   * ```ts
   * const theme = await client.management.theme.import({ id: 'theme', cssTemplate: { light: {} } });
   * ```
   */
  import(theme: Partial<Theme>): Promise<Theme>;
};

export function createFlowApi(http: Http): FlowApi {
  const post = <T>(path: string, body: unknown) =>
    http.request<T>('POST', path, { auth: 'management', body });
  return {
    list: (ids) => post('/v1/mgmt/flow/list', ids ? { ids } : {}),
    export: (flowId) => post('/v1/mgmt/flow/export', { flowId }),
    import: (flowId, flow, screens) =>
      post('/v1/mgmt/flow/import', screens ? { flowId, flow, screens } : { flowId, flow }),
    async delete(ids) {
      await post('/v1/mgmt/flow/delete', { ids });
    },
  };
}

export function createThemeApi(http: Http): ThemeApi {
  return {
    export: () => http.request('POST', '/v1/mgmt/theme/export', { auth: 'management', body: {} }),
    async import(theme) {
      const res = await http.request<{ theme: Theme }>('POST', '/v1/mgmt/theme/import', {
        auth: 'management',
        body: { theme },
      });
      return res.theme;
    },
  };
}
