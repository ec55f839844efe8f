/**
 * One audit record. `occurred` is epoch milliseconds (the wire unit). Login ids and tenants are kept twice:
 * as JSON here (to answer the record whole) and as rows of `audit_refs` (to search them through an index).
 */
export interface AuditEventsTable {
  project_id: string;
  id: string;
  occurred: number;
  action: string;
  type: string;
  actor_id: string;
  user_id: string;
  login_ids_json: string;
  tenants_json: string;
  /** number of tenants: `noTenants` searches for 0 */
  tenant_count: number;
  method: string;
  device: string;
  geo: string;
  remote_address: string;
  data_json: string;
}

/**
 * One searchable value of an audit record, with the record's time for range scans: a login id (`kind` 'l',
 * lower-cased), a tenant (`t`, exact), or a free-text word (`w`, lower-cased: user and actor ids, the address,
 * e-mail domains, tenants).
 */
export interface AuditRefsTable {
  project_id: string;
  kind: string;
  value: string;
  occurred: number;
  audit_id: string;
}
