/**
 * GET /api/bulletin/:publication/:year/:number[?edition=supplement] — a signed-off issue's record, everything a front
 * end needs to render it, in one request. Governed by the same permission as reading one issue (findOne), and by the
 * same row scope (an issue not sent to the reader is a 404).
 */
export default {
  routes: [
    {
      method: 'GET',
      path: '/bulletin/:publication/:year/:number',
      handler: 'issue.record',
      config: { auth: { scope: ['api::issue.issue.findOne'] } },
    },
  ],
};
