import type { Db } from '../store/db.ts';
import { nowSeconds } from '../util.ts';

export type LoginEvent = {
  projectId: string;
  userId: string;
  ip: string;
  method: string;
  selectedTenant?: string;
};

export async function recordLogin(db: Db, e: LoginEvent): Promise<void> {
  await db
    .insertInto('login_history')
    .values({
      project_id: e.projectId,
      user_id: e.userId,
      login_time: nowSeconds(),
      ip: e.ip,
      city: '',
      country: '',
      selected_tenant: e.selectedTenant ?? '',
      method: e.method,
    })
    .execute();
}

/** The history record of the wire contract (reference §2.12), newest first. */
export async function loginHistory(db: Db, projectId: string, userIds: string[], limit = 100) {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('login_history')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('user_id', 'in', userIds)
    .orderBy('login_time', 'desc')
    .orderBy('id', 'desc')
    .limit(limit * userIds.length)
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    loginTime: r.login_time,
    city: r.city,
    country: r.country,
    ip: r.ip,
    ...(r.selected_tenant ? { selectedTenant: r.selected_tenant } : {}),
  }));
}
