/**
 * Adoption statistics (信息采用统计), one permission for all three: `api::statistics.statistics.find` (the contributor
 * role has it; editors reach it as staff through API tokens or the admin's own routes). Query: exactly one of
 * month=2020-02, quarter=2020-Q1, year=2020 or from=2020-01-01&to=2020-03-31; publication (default: the default
 * publication; * for all); breakdown=true for the lines behind each unit's points.
 *
 * GET /api/statistics          the table, JSON
 * GET /api/statistics.csv      the table as CSV (breakdown=true: the breakdown lines)
 * GET /api/statistics/notice   the printable notice (通报), a standalone HTML document
 */
const scope = { auth: { scope: ['api::statistics.statistics.find'] } };

export default {
  routes: [
    { method: 'GET', path: '/statistics', handler: 'statistics.find', config: scope },
    { method: 'GET', path: '/statistics.csv', handler: 'statistics.csv', config: scope },
    { method: 'GET', path: '/statistics/notice', handler: 'statistics.notice', config: scope },
  ],
};
