export default [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
  'strapi::query',
  'strapi::body',
  // Readers' records and year lists (REST and GraphQL) in two SQL statements; falls through to the normal route
  // otherwise (src/middlewares/fast-read.ts). After the body parser, so GraphQL queries can be recognised.
  'global::fast-read',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
