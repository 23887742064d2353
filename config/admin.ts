import type { Core } from '@strapi/strapi';
import { secret } from '../src/strapi/secrets-file';
import { previewUrl } from '../src/strapi/exports';

export default ({ env }: Core.Config.Shared.ConfigParams) => ({
  auth: {
    secret: secret('ADMIN_JWT_SECRET'),
  },
  apiToken: {
    salt: secret('API_TOKEN_SALT'),
  },
  transfer: {
    token: {
      salt: secret('TRANSFER_TOKEN_SALT'),
    },
  },
  secrets: {
    encryptionKey: secret('ENCRYPTION_KEY'),
  },
  // Editors' preview (Strapi 5 preview, free in Community Edition): a draft issue rendered exactly as it will print,
  // served by this app at a signed address only the admin hands out (src/strapi/exports.ts).
  preview: {
    enabled: env.bool('BULLETIN_PREVIEW', true),
    config: {
      // The preview is served by this app, at a path (not an absolute address): the admin frames it from its own
      // origin, whatever host name, port or proxy it is opened through. PUBLIC_URL, when set, is allowed as well.
      allowedOrigins: ["'self'", ...(env('PUBLIC_URL', '') === '' ? [] : [env('PUBLIC_URL', '')])],
      handler: (uid: string, { documentId, status }: { documentId: string; status?: string }) =>
        previewUrl(strapi, uid, documentId, status),
    },
  },
  flags: {
    nps: env.bool('FLAG_NPS', false),
    promoteEE: env.bool('FLAG_PROMOTE_EE', false),
  },
});
