import { LatchkeyError } from '../../errors.ts';
import { parseInput } from '../../http/validate.ts';
import type { Project } from '../../projects/repo.ts';
import type { Db } from '../../store/db.ts';
import type { WireUser } from '../../users/wire.ts';
import { unique } from '../../util.ts';
import { type InviteOptions, patchBody, userWriteBody } from './schema.ts';
import type { UserService } from './service.ts';

type Deps = { db: Db; service: UserService };

/** Batch create, patch and delete (reference §3.2.2; docs/users.md#batches): failures are reported per user. */
export function createUserBatches(deps: Deps) {
  const { db, service } = deps;
  return {
    /**
     * Each user is parsed, validated and created on its own (one transaction each): a bad user lands in
     * `failedUsers` with the reason and nothing stored for it; the others are created.
     */
    async batchCreate(project: Project, inputs: unknown[], invite: InviteOptions) {
      const createdUsers: WireUser[] = [];
      const failedUsers: { failure: string; user: Partial<WireUser> }[] = [];
      for (const raw of inputs) {
        try {
          const input = parseInput(userWriteBody, raw);
          createdUsers.push(await service.create(project, input, { test: input.test === true, invite }));
        } catch (err) {
          if (!(err instanceof LatchkeyError)) throw err;
          failedUsers.push({ failure: err.message, user: failedUser(raw) });
        }
      }
      return { createdUsers, failedUsers, additionalErrors: {} };
    },

    /** Patches each user on its own; unknown users and invalid fields are reported per user. */
    async patchBatch(project: Project, inputs: unknown[]) {
      const patchedUsers: WireUser[] = [];
      const failedUsers: { failure: string; user: Partial<WireUser> }[] = [];
      for (const raw of inputs) {
        try {
          patchedUsers.push(await service.patch(project, parseInput(patchBody, raw)));
        } catch (err) {
          if (!(err instanceof LatchkeyError)) throw err;
          failedUsers.push({ failure: err.message, user: failedUser(raw) });
        }
      }
      return { patchedUsers, failedUsers, additionalErrors: {} };
    },

    /** Deletes the users that exist (one transaction); ids that match no user are answered in `failedUserIds`. */
    async deleteBatch(project: Project, userIds: string[]) {
      const wanted = unique(userIds);
      const result = await db.transaction().execute(async (tx) => {
        const found = await tx
          .selectFrom('users')
          .select('id')
          .where('project_id', '=', project.id)
          .where('id', 'in', wanted)
          .execute();
        const ids = found.map((r) => r.id);
        await service.removeUsers(tx, project.id, ids);
        return { deletedUserIds: ids, failedUserIds: wanted.filter((id) => !ids.includes(id)) };
      });
      await service.recordDeleted(project.id, result.deletedUserIds);
      return result;
    },
  };
}

/** What a failed batch entry echoes back: its login id and email, whatever else it held. */
function failedUser(raw: unknown): Partial<WireUser> {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const loginId = typeof r.loginId === 'string' ? r.loginId : '';
  return { loginIds: loginId ? [loginId] : [], email: typeof r.email === 'string' ? r.email : '' };
}
