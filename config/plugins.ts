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
      },
    },
  },
});
