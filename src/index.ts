import type { Core } from '@strapi/strapi';
import { registerDocumentMiddlewares } from './strapi/document-middlewares';
import { registerAuditTrail } from './strapi/audit';
import { registerSecurityAudit, subscribeSecurityAudit } from './strapi/audit-security';
import { registerFirstReads } from './strapi/audit-reads';
import { configureAdminViews, defaultAdminLanguage } from './strapi/admin-views';
import { removeUsageMetricsJob } from './strapi/usage-metrics';
import { keepMailInside } from './strapi/mail';
import { loadDemoContent } from './strapi/demo';
import { createIndexes } from './strapi/indexes';
import { registerLabelsInGraphQL } from './strapi/issue-labels';
import { applyRoles, registerNestedGuards } from './strapi/access';
import { registerGraphQLBatching } from './strapi/graphql-batching';
import { applyAdminRoles, registerOwnUnitsCondition } from './strapi/admin-roles';
import { registerRecordInGraphQL } from './strapi/record';
import { disableUnusedMutations } from './strapi/graphql-mutations';
import { registerGraphiQL } from './strapi/graphiql';
import { bootstrapStatistics, registerStatisticsInGraphQL } from './strapi/statistics';
import { registerExportRoutes, registerIssueHtmlInGraphQL } from './strapi/exports';
import { closePdfBrowser } from './strapi/pdf';
import { watchFastReadGrants } from './strapi/fast-read';
import { refreshIssueTitles } from './strapi/numbering';
import { registerItemPicker } from './strapi/admin-pickers';
import { guardProcess } from './strapi/process-guard';
import { settleEntityValidation } from './strapi/entity-validator';
import { syncRecipientLabels } from './strapi/footer';
import { bootstrapLoginLimits, registerLoginLimits } from './strapi/login-limits';
import { watchDatabaseFaults } from './strapi/database-faults';
import { registerDeskRoutes } from './strapi/desk';
import { registerAuditViewRoutes, registerAuditViewsInGraphQL } from './strapi/audit-views';
import { registerAccountDeskRoutes } from './strapi/account-desk';
import { releaseStartLock, serializeStart } from './strapi/start-lock';

/** What destroy() undoes: the database watchers installed at start-up. */
const stops: (() => void)[] = [];

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    guardProcess(strapi);
    serializeStart(strapi);
    settleEntityValidation(strapi);
    registerAuditTrail(strapi); // first: the outermost, so the audit entry commits with the write or not at all
    registerDocumentMiddlewares(strapi);
    registerLabelsInGraphQL(strapi);
    registerNestedGuards(strapi);
    registerGraphQLBatching(strapi);
    registerRecordInGraphQL(strapi);
    registerIssueHtmlInGraphQL(strapi);
    disableUnusedMutations(strapi);
    registerStatisticsInGraphQL(strapi);
    registerItemPicker(strapi);
    registerLoginLimits(strapi);
    registerSecurityAudit(strapi); // after the login limits: a login they refuse is recorded as answered (429)
    registerFirstReads(strapi);
    registerAuditViewsInGraphQL(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    // Held since strapi.db.init (src/strapi/start-lock.ts): the first start's writes below run one process at a time.
    try {
      stops.push(watchDatabaseFaults(strapi));
      subscribeSecurityAudit(strapi);
      stops.push(watchFastReadGrants(strapi));
      defaultAdminLanguage(strapi);
      removeUsageMetricsJob(strapi);
      keepMailInside(strapi);
      await createIndexes(strapi);
      await bootstrapLoginLimits(strapi);
      await refreshIssueTitles(strapi);
      await syncRecipientLabels(strapi);
      await bootstrapStatistics(strapi);
      await applyRoles(strapi);
      await registerOwnUnitsCondition(strapi);
      await applyAdminRoles(strapi);
      await configureAdminViews(strapi);
      await loadDemoContent(strapi);
      registerGraphiQL(strapi);
      registerExportRoutes(strapi);
      registerDeskRoutes(strapi);
      registerAuditViewRoutes(strapi);
      registerAccountDeskRoutes(strapi);
    } finally {
      await releaseStartLock(strapi);
    }
  },

  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await releaseStartLock(strapi);
    for (const stop of stops.splice(0)) stop();
    await closePdfBrowser();
  },
};
