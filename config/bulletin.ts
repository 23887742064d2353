import type { Core } from '@strapi/strapi';
import { isKnownTimeZone } from '../src/domain/dates';
import { DEFAULT_SCORING, parseScoringTable } from '../src/domain/statistics';
import { loginLimitSettings } from '../src/domain/login-limits';
import { parseRetentionDays } from '../src/domain/audit-events';
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
  // The scoring table of the adoption statistics (src/domain/statistics.ts), JSON { "rules": [ … ] }; checked here so
  // that a mistyped table stops the start instead of scoring wrongly.
  const scoring = parseScoringTable(env.json('BULLETIN_SCORING', DEFAULT_SCORING));
  if ('violations' in scoring) {
    const problems = scoring.violations
      .map((violation) => `${violation.path.join('.')}: ${violation.message}`)
      .join('; ');
    throw new Error(`BULLETIN_SCORING is not a valid scoring table: ${problems}`);
  }
  // How long the audit trail keeps entries before `npm run audit:archive` moves them to a file (at least 180 days).
  const retention = parseRetentionDays(env('BULLETIN_AUDIT_RETENTION_DAYS'));
  if ('error' in retention) throw new Error(retention.error);
  return {
    timeZone,
    auditRetentionDays: retention.days,
    defaultPublication: env('BULLETIN_DEFAULT_PUBLICATION', '上街信息'),
    publications,
    demoContent: env.bool('BULLETIN_DEMO_CONTENT', true),
    // The offline GraphQL explorer at /graphiql: on in development, off in production unless asked for.
    graphiql: env.bool('GRAPHIQL_ENABLED', process.env.NODE_ENV !== 'production'),
    // The readers' fast path (src/middlewares/fast-read.ts); off only to compare it with the normal routes.
    fastRead: env.bool('BULLETIN_FAST_READ', true),
    // Mail (password resets): none leaves the server unless `sendmail` (src/strapi/mail.ts).
    mail: env('BULLETIN_MAIL', 'off'),
    scoring: scoring.table,
    // Whether contributors see the whole adoption ranking (without other units' breakdowns) or only their own row.
    publishRanking: env.bool('BULLETIN_PUBLISH_RANKING', false),
    // Failed logins per account and per client address in a window (src/domain/login-limits.ts); checked here so that
    // a mistyped value stops the start.
    loginLimits: loginLimitSettings({
      BULLETIN_LOGIN_ACCOUNT_MAX: env('BULLETIN_LOGIN_ACCOUNT_MAX'),
      BULLETIN_LOGIN_ADDRESS_MAX: env('BULLETIN_LOGIN_ADDRESS_MAX'),
      BULLETIN_LOGIN_WINDOW_MINUTES: env('BULLETIN_LOGIN_WINDOW_MINUTES'),
    }),
  };
};
