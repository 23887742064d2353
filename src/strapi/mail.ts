import type { Core } from '@strapi/strapi';

/**
 * No mail leaves the server unless the office asks for it. Strapi's default mail provider (sendmail) delivers
 * straight to the recipient's mail server, looked up in public DNS: on an intranet that is a call out, and it fails —
 * "forgot password" on the readers' login answered 500. Unless `BULLETIN_MAIL=sendmail` (an office whose server may
 * reach mail servers), the mail plugin's provider is one that sends nothing and logs a line naming the recipient
 * and the subject (never the text: a reset mail carries its code). The login pages then answer as for any address —
 * no difference shows whether an account exists — and passwords are reset by the IT administrator
 * (`npm run users -- reset`) or in the admin.
 */
export function keepMailInside(strapi: Core.Strapi): void {
  if (strapi.config.get<string>('bulletin.mail', 'off') === 'sendmail') return;
  const plugin = strapi.plugin('email') as unknown as { provider?: unknown } | undefined;
  if (plugin === undefined) return;
  plugin.provider = {
    send(options: { to?: unknown; subject?: unknown } | undefined): Promise<void> {
      const to = typeof options?.to === 'string' ? options.to : '';
      const subject = typeof options?.subject === 'string' ? options.subject : '';
      strapi.log.warn(
        `mail not sent (no mail leaves this server; BULLETIN_MAIL=sendmail sends it): "${subject}" to ${to}`,
      );
      return Promise.resolve();
    },
  };
}
