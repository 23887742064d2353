import type { Core } from '@strapi/strapi';
import { sentTo } from '../strapi/access';
import { sendRecord } from '../strapi/record';

/**
 * The fast path for GET /api/bulletin/:publication/:year/:number with a users-permissions login: two SQL statements
 * in all — the caller (not blocked, confirmed, their role holding `api::issue.issue.findOne`, their unit) and the
 * record within their scope — instead of Strapi's authentication (about 4) plus the scoped Document Service read.
 *
 * It only ever answers 200 / 304 with a record the caller may read. Anything else — no or another kind of token, an
 * invalid or expired one, a blocked, unconfirmed or unknown user, a role without the permission or outside the
 * reader / contributor roles, an issue not sent to them or not found — falls through to Strapi's own route, which
 * applies the same rules the slow way and gives the proper 401 / 403 / 404. Nothing is cached: a block, a role
 * change or a republish committed by any process is seen on the next request.
 */

const PATH = /^\/api\/bulletin\/([^/]+)\/(\d+)\/(\d+)$/;
const EDITIONS = new Set(['regular', 'supplement', 'special']);

type Caller = { id: number; blocked: boolean | null; confirmed: boolean | null; role: string | null; unit_id: number | null; allowed: boolean };

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) =>
  async (ctx: { method: string; path: string; query: Record<string, unknown>; get: (name: string) => string } & Parameters<typeof sendRecord>[0], next: () => Promise<unknown>) => {
    if (ctx.method !== 'GET') return next();
    const match = PATH.exec(ctx.path);
    const bearer = /^Bearer\s+(.+)$/i.exec(ctx.get('Authorization'));
    if (match === null || bearer === null) return next();
    if (strapi.config.get('plugin::users-permissions.jwtManagement', 'legacy-support') !== 'legacy-support') return next();
    const edition = typeof ctx.query.edition === 'string' ? ctx.query.edition : 'regular';
    if (!EDITIONS.has(edition)) return next();
    let publication: string;
    try {
      publication = decodeURIComponent(match[1]);
    } catch {
      return next(); // malformed percent-encoding: Strapi's router answers it
    }

    let claims: { id?: unknown };
    try {
      claims = (await strapi.plugin('users-permissions').service('jwt').verify(bearer[1])) as { id?: unknown };
    } catch {
      return next();
    }
    if (typeof claims.id !== 'number') return next();

    const knex = strapi.db.connection;
    const caller = (await knex('up_users as u')
      .leftJoin('up_users_role_lnk as ur', 'ur.user_id', 'u.id')
      .leftJoin('up_roles as r', 'r.id', 'ur.role_id')
      .leftJoin('up_users_unit_lnk as uu', 'uu.user_id', 'u.id')
      .where('u.id', claims.id)
      .first(
        'u.id',
        'u.blocked',
        'u.confirmed',
        'r.type as role',
        'uu.unit_id',
        knex.raw(
          `EXISTS (SELECT 1 FROM up_permissions p JOIN up_permissions_role_lnk pr ON pr.permission_id = p.id
                    WHERE pr.role_id = r.id AND p.action = 'api::issue.issue.findOne') AS allowed`,
        ),
      )) as Caller | undefined;
    if (caller === undefined || caller.blocked === true || caller.confirmed !== true) return next();
    if ((caller.role !== 'reader' && caller.role !== 'contributor') || !(caller.allowed === true || (caller.allowed as unknown) === 1)) return next();

    const unitIds = caller.unit_id === null ? [] : [caller.unit_id];
    const issue = (await knex('issues as i')
      .where({ 'i.publication': publication, 'i.year': Number(match[2]), 'i.number': Number(match[3]), 'i.edition': edition })
      .whereNotNull('i.published_at')
      .whereExists(sentTo(knex, 'i', unitIds, caller.id))
      .first('i.record')) as { record: unknown } | undefined;
    if (issue === undefined || issue.record === null) return next();
    const record = typeof issue.record === 'string' ? JSON.parse(issue.record) : issue.record;
    sendRecord(ctx, record);
    return undefined;
  };
