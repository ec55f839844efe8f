import type { Project } from '../../projects/repo.ts';
import type { Db } from '../../store/db.ts';
import { issueCode, issueLink } from '../passwordless/issue.ts';
import type { SecretRepo } from '../passwordless/secrets.ts';
import type { PasswordlessService } from '../passwordless/service.ts';

export type ResetRequest = {
  loginId: string;
  redirectUrl?: string;
  templateId?: string;
  templateOptions?: Record<string, string>;
};

/**
 * Password reset (reference §2.7): a magic link or a code, as the project configures, sent to the user's
 * email. Redeeming it (magic-link or OTP verify) signs the user in; the app then calls password update
 * with the new refresh token.
 */
export function createPasswordReset(deps: {
  db: Db;
  secrets: SecretRepo;
  service: PasswordlessService;
  mode: 'development' | 'production';
}) {
  return async (project: Project, request: ResetRequest) => {
    const prepared = await deps.service.prepareStart(project, 'signin', 'email', {
      loginId: request.loginId,
      templateId: request.templateId,
      templateOptions: request.templateOptions,
    });
    prepared.payload = { ...prepared.payload, flow: 'reset' };
    const resetMethod = project.settings.passwordless.passwordResetMethod;
    const masked =
      resetMethod === 'otp'
        ? await issueCode(deps, project, prepared)
        : await issueLink(deps, project, prepared, request.redirectUrl);
    return { resetMethod, ...masked };
  };
}
