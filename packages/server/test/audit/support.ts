import type { AuditRow } from '../../src/audit/repo.ts';
import { uid } from '../descope-sdk/support.ts';

/** A raw audit row of one login id, for tests that insert records at chosen times (retention, search window). */
export const auditRow = (projectId: string, loginId: string, action: string, occurred: number): AuditRow => ({
  project_id: projectId,
  id: uid('A'),
  occurred,
  action,
  type: 'info',
  actor_id: '',
  user_id: '',
  login_ids_json: JSON.stringify([loginId]),
  tenants_json: '[]',
  tenant_count: 0,
  method: '',
  device: '',
  geo: '',
  remote_address: '',
  data_json: '{}',
});
