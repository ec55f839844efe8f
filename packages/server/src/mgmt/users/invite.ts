import type { DeliveryService } from '../../delivery/service.ts';
import { LatchkeyError } from '../../errors.ts';
import type { Project } from '../../projects/repo.ts';
import type { WireUser } from '../../users/wire.ts';
import type { InviteOptions } from './schema.ts';

type Contact = { email?: string; phone?: string };

/** Email unless `sendMail: false`; text message only with `sendSMS: true` (reference §3.2.1 invite options). */
const channels = (user: Contact, invite: InviteOptions) => ({
  email: invite.sendMail !== false && Boolean(user.email),
  sms: invite.sendSMS === true && Boolean(user.phone),
});

const inviteLink = (project: Project, invite: InviteOptions) =>
  invite.inviteUrl ?? project.settings.passwordless.defaultRedirectUrl;

/** Checked before the user is created, so a request that cannot send its invitation changes nothing. */
export function checkInvite(project: Project, user: Contact, invite: InviteOptions): void {
  const send = channels(user, invite);
  if ((send.email || send.sms) && !inviteLink(project, invite)) {
    throw new LatchkeyError(
      'invalidArguments',
      'An invitation needs inviteUrl (or the project passwordless.defaultRedirectUrl setting)',
    );
  }
}

/** Sends the `invite` message (email and/or text) with a link to the invite URL. */
export async function sendInvite(
  delivery: DeliveryService,
  project: Project,
  user: WireUser,
  invite: InviteOptions,
): Promise<void> {
  const send = channels(user, invite);
  const link = inviteLink(project, invite);
  if (!link) return;
  const vars = {
    templateOptions: invite.templateOptions,
    link,
    name: user.name || user.loginIds[0],
    loginId: user.loginIds[0],
  };
  const message = { kind: 'invite' as const, templateId: invite.templateId, vars };
  if (send.email)
    await delivery.send(project.id, project.settings.delivery, {
      ...message,
      channel: 'email',
      to: user.email,
    });
  if (send.sms)
    await delivery.send(project.id, project.settings.delivery, {
      ...message,
      channel: 'sms',
      to: user.phone,
    });
}
