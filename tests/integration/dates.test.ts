// jest.config.js runs the tests with a server clock west of UTC (America/Los_Angeles), far from the office's:
// dates must come back as the calendar dates that were entered.
import { bootApp, createApiToken, type TestApp } from '../support/app';
import { graphql } from '../support/graphql';

let app: TestApp;
let token: string;

beforeAll(async () => {
  app = await bootApp({ demo: false });
  token = await createApiToken(app.strapi, 'full-access');
});
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

test.each(['2021-01-01', '2020-02-19', '2020-12-31'])(
  'the issue date %s is stored and read back unshifted',
  async (date) => {
    expect(new Date(`${date}T00:00:00`).getTimezoneOffset()).toBeGreaterThan(0); // the process really runs west of UTC

    const created = await app
      .http()
      .post('/api/issues')
      .query({ status: 'draft' })
      .set('Authorization', `Bearer ${token}`)
      .send({ data: { publication: '上街信息', date, year: Number(date.slice(0, 4)) } });
    expect(created.status).toBe(201);
    expect(created.body.data.date).toBe(date);

    const read = await graphql<{ issue: { date: string } }>(
      app,
      token,
      'query($id: ID!) { issue(documentId: $id, status: DRAFT) { date } }',
      {
        id: created.body.data.documentId,
      },
    );
    expect(read.data?.issue.date).toBe(date);

    const row = await app.strapi.db.connection.raw(
      "select to_char(date, 'YYYY-MM-DD') as d from issues where document_id = ?",
      [created.body.data.documentId],
    );
    expect(row.rows.map((r: { d: string }) => r.d)).toEqual([date]);
  },
);
