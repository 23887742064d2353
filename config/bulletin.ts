import type { Core } from '@strapi/strapi';
import { isKnownTimeZone } from '../src/domain/dates';
/**
 * The office's bulletin settings (strapi.config.get('bulletin')).
 *
 * BULLETIN_PUBLICATIONS is JSON: { "<刊名>": { "printsTotalNumber": true|false } }. Publications not listed use the
 * defaults; the default publication is the one a new issue gets when none is given.
 */
export default ({ env }: Core.Config.Shared.ConfigParams) => {
  const publications = env.json('BULLETIN_PUBLICATIONS', { 上街信息: { printsTotalNumber: false } });
  const timeZone = env('BULLETIN_TIME_ZONE', 'Asia/Shanghai');
  if (!isKnownTimeZone(timeZone)) {
    throw new Error(`BULLETIN_TIME_ZONE="${timeZone}" is not a time zone this server knows (e.g. Asia/Shanghai).`);
  }
  return {
    timeZone,
    defaultPublication: env('BULLETIN_DEFAULT_PUBLICATION', '上街信息'),
    publications,
    demoContent: env.bool('BULLETIN_DEMO_CONTENT', true),
    // The offline GraphQL explorer at /graphiql: on in development, off in production unless asked for.
    graphiql: env.bool('GRAPHIQL_ENABLED', process.env.NODE_ENV !== 'production'),
  };
};
