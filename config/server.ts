import type { Core } from '@strapi/strapi';
import { secretList } from '../src/strapi/secrets-file';

export default ({ env }: Core.Config.Shared.ConfigParams) => {
  const proxyHops = env.int('PROXY_HOPS', 1);
  if (!Number.isSafeInteger(proxyHops) || proxyHops < 1) {
    throw new Error(
      `PROXY_HOPS="${env('PROXY_HOPS')}" must be a whole number ≥ 1 (the proxies that append to X-Forwarded-For).`,
    );
  }
  return {
    host: env('HOST', '0.0.0.0'),
    port: env.int('PORT', 1337),
    url: env('PUBLIC_URL', ''),
    // Behind a reverse proxy (IS_PROXIED=true) the client's address and protocol come from X-Forwarded-For /
    // X-Forwarded-Proto; otherwise those headers are ignored. Strapi 5 reads koa's setting from `proxy.koa` (a plain
    // `proxy: true` is silently ignored). PROXY_HOPS is the number of proxies that append to X-Forwarded-For: the
    // client address is taken that many entries from the right, so an address a client writes into the header itself
    // is never believed (login limits per address: src/domain/login-limits.ts).
    proxy: {
      koa: env.bool('IS_PROXIED', false),
      maxIpsCount: proxyHops,
    },
    app: {
      keys: secretList('APP_KEYS'),
    },
    // No update check: Strapi would ask the npm registry for its latest version on every start (an intranet server
    // must not call out). Strapi 5.54 reads `server.logger.updates.enabled` when the app is created; its
    // .strapi-updater.json is still written, and is not tracked.
    logger: {
      updates: { enabled: false },
    },
  };
};
