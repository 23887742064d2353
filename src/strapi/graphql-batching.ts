import type { Core } from '@strapi/strapi';

/**
 * Strapi's generated GraphQL types resolve every relation and component of every row with a query of its own
 * (plugin-graphql's association and component resolvers call `strapi.db.query(uid).load(parent, field, query)` once
 * per parent). Here the same resolvers are given to the schema through the GraphQL extension service, computing the
 * same database query the same way (arguments validated and sanitized for the caller, the status inherited from the
 * root query, Strapi's default and maximum nested page size), but loading it for all the parents of one request that
 * ask for the same relation with the same query at once: one `findMany` of the parents with that relation populated,
 * which Strapi's populate answers with one statement through the link table, in the link table's order (or the
 * field's `sort`). Each parent then gets its own page (`pagination` on the nested field) of its own rows.
 *
 * Scope rules on nested loads stay where they are: middlewares in resolversConfig (e.g. `Item.issue` in
 * src/strapi/access.ts) wrap these resolvers as they wrapped Strapi's.
 *
 * Strapi's own resolver answers instead whenever the query is not plain data (a publication filter, which Strapi
 * builds as raw SQL), for media and polymorphic relations (not given a batched resolver at all), and for everything
 * when `BULLETIN_GRAPHQL_BATCH=false` (read per request: the benchmark and the tests compare both on one app).
 */

type Resolver = (
  parent: unknown,
  args: Record<string, unknown>,
  context: object,
  info: ResolveInfo,
) => Promise<unknown>;
type ResolveInfo = { path?: { key: string | number; prev?: unknown } };
type Query = Record<string, unknown>;
type Attribute = {
  type: string;
  relation?: string;
  target?: string;
  component?: string;
  repeatable?: boolean;
  private?: boolean;
};
type Model = { uid: string; modelType?: string; attributes: Record<string, Attribute> };

export const batchingEnabled = (): boolean => process.env.BULLETIN_GRAPHQL_BATCH !== 'false';

/** Plain JSON data only: a query holding anything else (knex raw SQL, functions) is left to Strapi's resolver. */
function isPlainData(value: unknown): boolean {
  if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every(isPlainData);
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value as Record<string, unknown>).every(isPlainData);
}

type Pending = {
  uid: string;
  attribute: string;
  query: Query;
  waiters: Map<number, ((value: unknown) => void)[]>;
  fail: ((error: unknown) => void)[];
};

/** One request's loads: the same relation with the same query for many parents becomes one database query. */
class RequestLoads {
  readonly queries = new Map<string, Promise<{ dbQuery: Query; key: string } | null>>();
  private readonly results = new Map<string, Promise<unknown>>();
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly strapi: Core.Strapi) {}

  /** `path`: where the field is in the query, without list indices; a batch is one relation at one place. */
  load(uid: string, attribute: string, query: Query, queryKey: string, path: string, id: number): Promise<unknown> {
    const resultKey = `${uid}\u0000${attribute}\u0000${queryKey}\u0000${id}`;
    const known = this.results.get(resultKey);
    if (known !== undefined) return known;
    // Per place in the query, so that two branches (sendTo and distributeTo) are never merged by timing alone: the
    // statements a query costs depend on its shape, not on which database answer came back first.
    const batchKey = `${uid}\u0000${attribute}\u0000${queryKey}\u0000${path}`;
    let batch = this.pending.get(batchKey);
    if (batch === undefined) {
      const created: Pending = { uid, attribute, query, waiters: new Map(), fail: [] };
      batch = created;
      this.pending.set(batchKey, created);
      // After every resolver of this level has asked (they run in the microtasks before it), not one tick later.
      setImmediate(() => {
        this.pending.delete(batchKey);
        this.run(created).catch((error: unknown) => {
          for (const fail of created.fail) fail(error);
        });
      });
    }
    const target = batch;
    const result = new Promise<unknown>((resolve, reject) => {
      const waiters = target.waiters.get(id) ?? [];
      waiters.push(resolve);
      target.waiters.set(id, waiters);
      target.fail.push(reject);
    });
    this.results.set(resultKey, result);
    return result;
  }

  private async run(batch: Pending): Promise<void> {
    const ids = [...batch.waiters.keys()];
    // One parent: the page is the database's LIMIT, exactly as Strapi's own load. Several: Strapi's populate puts
    // one LIMIT on all parents' rows together, so each parent's page is cut from its own rows here.
    const { limit, offset, ...unpaged } = batch.query;
    const single = ids.length === 1;
    const rows = (await this.strapi.db.query(batch.uid).findMany({
      select: ['id'],
      where: { id: { $in: ids } },
      populate: { [batch.attribute]: single ? batch.query : unpaged },
    })) as Record<string, unknown>[];
    const byId = new Map(rows.map((row) => [row.id as number, row[batch.attribute]]));
    const from = typeof offset === 'number' && offset > 0 ? offset : 0;
    const to = typeof limit === 'number' && limit >= 0 ? from + limit : undefined;
    for (const [id, waiters] of batch.waiters) {
      // A parent gone meanwhile: null, as Strapi's load answers.
      let value = byId.has(id) ? byId.get(id) : null;
      if (!single && Array.isArray(value)) value = value.slice(from, to);
      for (const resolve of waiters) resolve(value);
    }
  }
}

const loadsOf = new WeakMap<object, RequestLoads>();
function requestLoads(strapi: Core.Strapi, context: object): RequestLoads {
  let loads = loadsOf.get(context);
  if (loads === undefined) {
    loads = new RequestLoads(strapi);
    loadsOf.set(context, loads);
  }
  return loads;
}

type GraphQLServices = {
  transformArgs: (args: unknown, options: { contentType: unknown; usePagination: boolean }) => Query;
  isBuiltInQueryField: (name: string) => boolean;
};
function services(strapi: Core.Strapi): GraphQLServices {
  const graphql = strapi.plugin('graphql');
  return {
    transformArgs: graphql.service('builders').utils.transformArgs,
    isBuiltInQueryField: (name) => graphql.service('content-api').isBuiltInQueryField(name) as boolean,
  };
}

type RootArgs = { _originField?: string; status?: string; publicationFilter?: unknown; hasPublishedVersion?: unknown };

/** The database query Strapi's association / component resolver builds for these arguments; null: not batchable. */
async function buildQuery(
  strapi: Core.Strapi,
  owner: Model,
  attributeName: string,
  args: Record<string, unknown>,
  context: { state?: { auth?: unknown }; rootQueryArgsByPath?: Map<string | number, RootArgs> },
  rootKey: string | number | undefined,
): Promise<{ dbQuery: Query; key: string } | null> {
  const attribute = owner.attributes[attributeName];
  const targetUID = attribute.type === 'component' ? (attribute.component as string) : (attribute.target as string);
  const target = strapi.getModel(targetUID as never) as unknown as Model & { options?: { draftAndPublish?: boolean } };
  const auth = context.state?.auth;
  const { transformArgs, isBuiltInQueryField } = services(strapi);
  const transformed = transformArgs(args, { contentType: target, usePagination: true });
  await strapi.contentAPI.validate.query(transformed, target as never, { auth });
  const sanitized = (await strapi.contentAPI.sanitize.query(transformed, target as never, { auth })) as Query;
  const transformedQuery = strapi.get('query-params').transform(targetUID, sanitized) as Query;
  let dbQuery = transformedQuery;
  if (attribute.type !== 'component') {
    const rootArgs = rootKey === undefined ? undefined : context.rootQueryArgsByPath?.get(rootKey);
    const fromBuiltIn = rootArgs?._originField !== undefined && isBuiltInQueryField(rootArgs._originField);
    // Strapi turns an inherited publication filter into raw SQL: its own resolver answers those.
    if (fromBuiltIn && (rootArgs.publicationFilter !== undefined || rootArgs.hasPublishedVersion !== undefined))
      return null;
    const status = (args.status as string | undefined) ?? (fromBuiltIn ? (rootArgs.status ?? 'published') : undefined);
    const draftAndPublish = target.options?.draftAndPublish === true;
    if (draftAndPublish && status !== undefined && status !== null) {
      const published = { where: { publishedAt: status === 'published' ? { $notNull: true } : { $null: true } } };
      dbQuery = mergeDeep(published, transformedQuery);
    }
  }
  if (!isPlainData(dbQuery)) return null;
  return { dbQuery, key: JSON.stringify(dbQuery) };
}

/** lodash's merge of two plain data trees (Strapi merges the status filter into the query this way). */
function mergeDeep(base: Query, over: Query): Query {
  const out: Query = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const existing = out[key];
    out[key] =
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      existing !== null &&
      typeof existing === 'object' &&
      !Array.isArray(existing)
        ? mergeDeep(existing as Query, value as Query)
        : value === undefined
          ? existing
          : value;
  }
  return out;
}

function fieldPath(info: ResolveInfo): string {
  const keys: (string | number)[] = [];
  for (let path = info.path; path !== undefined && path !== null; path = path.prev as typeof path) {
    if (typeof path.key === 'string') keys.push(path.key);
  }
  return keys.reverse().join('.');
}

function rootKeyOf(info: ResolveInfo): string | number | undefined {
  let path = info.path;
  while (path?.prev !== undefined && path.prev !== null) path = path.prev as { key: string | number; prev?: unknown };
  return path?.key;
}

/** The batched resolver of one relation or component field, falling back to Strapi's own. */
function batchedResolver(strapi: Core.Strapi, owner: Model, attributeName: string, own: () => Resolver): Resolver {
  return async (parent, args, context, info) => {
    const id = (parent as { id?: unknown } | null)?.id;
    if (!batchingEnabled() || typeof id !== 'number') return own()(parent, args, context, info);
    const loads = requestLoads(strapi, context);
    const rootKey = rootKeyOf(info);
    const queryKey = `${String(rootKey)}\u0000${owner.uid}.${attributeName}\u0000${JSON.stringify(args)}`;
    let query = loads.queries.get(queryKey);
    if (query === undefined) {
      query = buildQuery(strapi, owner, attributeName, args, context, rootKey);
      loads.queries.set(queryKey, query);
    }
    const built = await query;
    if (built === null) return own()(parent, args, context, info);
    return loads.load(owner.uid, attributeName, built.dbQuery, built.key, fieldPath(info), id);
  };
}

/** Which fields of Strapi's generated types get a batched resolver: those of our content types and components. */
function batchedFields(
  strapi: Core.Strapi,
  has: (typeName: string) => boolean,
): Record<string, Record<string, Resolver>> {
  const graphql = strapi.plugin('graphql');
  const extension = graphql.service('extension');
  const { naming } = graphql.service('utils');
  const builders = () => graphql.service('builders').get('content-api');
  const models = [
    ...Object.values(strapi.contentTypes).filter((model) => model.uid.startsWith('api::')),
    ...Object.values(strapi.components),
  ] as unknown as Model[];
  const resolvers: Record<string, Record<string, Resolver>> = {};
  for (const model of models) {
    if (extension.shadowCRUD(model.uid).isDisabled() === true) continue;
    const typeName = (
      model.modelType === 'component' ? naming.getComponentName(model) : naming.getTypeName(model)
    ) as string;
    if (!has(typeName)) continue;
    for (const [name, attribute] of Object.entries(model.attributes)) {
      if (attribute.private === true || extension.shadowCRUD(model.uid).field(name).hasOutputEnabled() !== true)
        continue;
      const spec = { contentTypeUID: model.uid, attributeName: name, strapi };
      let field: Resolver | null = null;
      if (attribute.type === 'component') {
        let own: Resolver | null = null;
        field = batchedResolver(
          strapi,
          model,
          name,
          () => (own ??= builders().buildComponentResolver(spec) as Resolver),
        );
      } else if (
        attribute.type === 'relation' &&
        attribute.relation?.startsWith('morph') === false &&
        typeof attribute.target === 'string'
      ) {
        if (extension.shadowCRUD(attribute.target).isDisabled() === true) continue;
        const toMany = attribute.relation.endsWith('Many');
        let association: Resolver | null = null;
        // Strapi's field resolvers unwrap its association resolver's answer: `nodes` (to-many) or `value`.
        const own: Resolver = async (...call) => {
          const answer = (await (association ??= builders().buildAssociationResolver(spec) as Resolver)(...call)) as {
            nodes?: unknown[];
            value?: unknown;
          };
          return toMany ? (answer.nodes ?? []) : answer.value;
        };
        const batched = batchedResolver(strapi, model, name, () => own);
        field = toMany ? async (...call) => (await batched(...call)) ?? [] : batched;
      }
      if (field !== null) (resolvers[typeName] ??= {})[name] = field;
    }
  }
  return resolvers;
}

export function registerGraphQLBatching(strapi: Core.Strapi): void {
  strapi
    .plugin('graphql')
    .service('extension')
    .use(({ typeRegistry }: { typeRegistry: { has: (name: string) => boolean } }) => ({
      resolvers: batchedFields(strapi, (name) => typeRegistry.has(name)),
    }));
}
