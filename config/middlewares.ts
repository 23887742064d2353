export default [
  // Every request gets an id (X-Request-Id) that failure logs name (src/middlewares/request-id.ts).
  'global::request-id',
  'strapi::logger',
  // The readers' fast path ahead of the chain for requests without an Origin: one indexed lookup, the headers of the
  // middlewares it skips worked out once; what it leaves, or fails on, goes to its second place below
  // (src/middlewares/fast-read.ts).
  { name: 'global::fast-read', config: { ahead: true } },
  'strapi::errors',
  // Database unreachable, lost or too slow: 503 ServiceUnavailableError (GraphQL: SERVICE_UNAVAILABLE), never a 500
  // or a hang (src/middlewares/database-unavailable.ts). Right inside the errors middleware: it sees every error first.
  'global::database-unavailable',
  // GET /_health: 200 when the database answers SELECT 1, 503 when it does not (src/middlewares/health.ts).
  'global::health',
  'strapi::security',
  'strapi::cors',
  // Right after strapi::cors: an answer to a request without an Origin carries no CORS header (src/middlewares/cors.ts).
  'global::cors',
  'strapi::poweredBy',
  'strapi::query',
  // Readers' records and year lists (REST and GraphQL) in one SQL statement; falls through to the normal route
  // otherwise (src/middlewares/fast-read.ts). After the query-string parser (its reads use it like the routes do);
  // before koa-body, which it does not need: its GETs have no body, and Strapi leaves /graphql to the plugin's parser.
  'global::fast-read',
  'strapi::body',
  'strapi::session',
  // The app's own icon (Strapi's default looks for one at the app root and answers 500 when it is missing).
  { name: 'strapi::favicon', config: { path: 'public/favicon.png' } },
  'strapi::public',
];
