/**
 * GET /api/bulletin/:publication/:year/:number[?edition=supplement] — a signed-off issue's record, everything a front
 * end needs to render it, in one request. Governed by the same permission as reading one issue (findOne), and by the
 * same row scope (an issue not sent to the reader is a 404).
 *
 * GET /api/bulletin/:publication/:year/:number/pdf and …/docx — the same issue as PDF or Word, same rules.
 *
 * GET /api/bulletin/:publication/:year[?page=1&pageSize=25] — the signed-off issues of a year the caller may read,
 * newest first, each with its labels and headlines, and the pagination. Governed by `find`.
 */
export default {
  routes: [
    {
      method: 'GET',
      path: '/bulletin/:publication/:year/:number',
      handler: 'issue.record',
      config: { auth: { scope: ['api::issue.issue.findOne'] } },
    },
    {
      method: 'GET',
      path: '/bulletin/:publication/:year/:number/pdf',
      handler: 'issue.pdf',
      config: { auth: { scope: ['api::issue.issue.findOne'] } },
    },
    {
      method: 'GET',
      path: '/bulletin/:publication/:year/:number/docx',
      handler: 'issue.docx',
      config: { auth: { scope: ['api::issue.issue.findOne'] } },
    },
    {
      method: 'GET',
      path: '/bulletin/:publication/:year',
      handler: 'issue.yearList',
      config: { auth: { scope: ['api::issue.issue.find'] } },
    },
  ],
};
