import type { Core } from '@strapi/strapi';
import { registerDocumentMiddlewares } from './strapi/document-middlewares';
import { configureAdminViews, defaultAdminLanguage } from './strapi/admin-views';
import { loadDemoContent } from './strapi/demo';
import { createIndexes } from './strapi/indexes';
import { registerLabelsInGraphQL } from './strapi/issue-labels';
import { applyRoles, registerNestedGuards } from './strapi/access';
import { applyAdminRoles, registerOwnUnitsCondition } from './strapi/admin-roles';
import { registerRecordInGraphQL } from './strapi/record';
import { disableUnusedMutations } from './strapi/graphql-mutations';
import { registerGraphiQL } from './strapi/graphiql';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    registerDocumentMiddlewares(strapi);
    registerLabelsInGraphQL(strapi);
    registerNestedGuards(strapi);
    registerRecordInGraphQL(strapi);
    disableUnusedMutations(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    defaultAdminLanguage(strapi);
    await createIndexes(strapi);
    await applyRoles(strapi);
    await registerOwnUnitsCondition(strapi);
    await applyAdminRoles(strapi);
    await configureAdminViews(strapi);
    await loadDemoContent(strapi);
    registerGraphiQL(strapi);
  },
};
