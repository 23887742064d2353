import type { Core } from '@strapi/strapi';
import { secretList } from '../src/config/secrets-file';

export default ({ env }: Core.Config.Shared.ConfigParams) => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  url: env('PUBLIC_URL', ''),
  proxy: env.bool('IS_PROXIED', false),
  app: {
    keys: secretList('APP_KEYS'),
  },
});
