/**
 * The audit trail over REST (who sees what: src/strapi/audit-views.ts). Query parameters, all optional: actor, unit,
 * action (comma-separated names), type (issue | item | unit | recipient-group), document (a documentId), documentName,
 * from and to (YYYY-MM-DD, office time, both included), page, pageSize (at most 100).
 *
 * GET /api/audit-entries                   entries, newest first     api::audit-entry.audit-entry.find
 * GET /api/items/:documentId/history       an item's 办理记录         api::audit-entry.audit-entry.history
 */
export default {
  routes: [
    {
      method: 'GET',
      path: '/audit-entries',
      handler: 'audit-entry.find',
      config: { auth: { scope: ['api::audit-entry.audit-entry.find'] } },
    },
    {
      method: 'GET',
      path: '/items/:documentId/history',
      handler: 'audit-entry.history',
      config: { auth: { scope: ['api::audit-entry.audit-entry.history'] } },
    },
  ],
};
