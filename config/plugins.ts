import type { Core } from '@strapi/strapi';
import { secret } from '../src/strapi/secrets-file';

export default ({ env }: Core.Config.Shared.ConfigParams) => ({
  'users-permissions': {
    config: {
      jwtSecret: secret('JWT_SECRET'),
      jwt: { expiresIn: env('JWT_EXPIRES_IN', '7d') },
    },
  },
  graphql: {
    config: {
      endpoint: '/graphql',
      shadowCRUD: true,
      // Apollo's landing pages load from a CDN, which the office network cannot reach.
      landingPage: false,
      depthLimit: 10,
      defaultLimit: 25,
      maxLimit: 100,
      apolloServer: {
        introspection: env.bool('GRAPHQL_INTROSPECTION', true),
        // The plugin's own CORS step (@koa/cors): `*` for a cross-origin caller, as by default, and no CORS header for
        // a request without an Origin (src/middlewares/cors.ts says why).
        cors: { origin: (ctx: { get: (name: string) => string }) => (ctx.get('Origin') === '' ? '' : '*') },
      },
    },
  },
});
