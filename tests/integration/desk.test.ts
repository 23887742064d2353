import { bootApp, type TestApp } from '../support/app';
import { unitId } from '../support/people';

/**
 * The compose desk's admin routes (/bulletin-desk, src/strapi/desk.ts) with real admin logins: who may do what,
 * review, composing the next issue, the stale-version refusal, every sign-off rule, and no way around the rules the
 * Document Service keeps (numbering, the workflow, the signed-off freeze). Each test makes its own items and issues.
 */

let app: TestApp;
const token: Record<string, string> = {};
const names: Record<string, string> = {};
const ISSUE = 'api::issue.issue';
const ITEM = 'api::item.item';
let serial = 0;

async function anAdmin(key: string, roleCodes: string[], firstname: string, lastname: string): Promise<number> {
  const roles = await app.strapi.db.query('admin::role').findMany({ where: { code: { $in: roleCodes } } });
  const email = `${key}@example.gov.cn`;
  const user = await app.strapi.service('admin::user').create({
    email,
    firstname,
    lastname,
    password: 'Admin-pass-1',
    isActive: true,
    roles: roles.map((role: { id: number }) => role.id),
  });
  const login = await app.http().post('/admin/login').send({ email, password: 'Admin-pass-1' });
  expect(login.status).toBe(200);
  token[key] = login.body.data.token;
  names[key] = `${lastname}${firstname}`;
  return user.id;
}

beforeAll(async () => {
  app = await bootApp();
  await anAdmin('editor', ['bulletin-editor'], '婕', '郝');
  await anAdmin('editor2', ['bulletin-editor'], '明', '李');
  await anAdmin('signer', ['bulletin-signer'], '强', '王');
  await anAdmin('head', ['bulletin-editor', 'bulletin-signer'], '敏', '张');
  const staff = await anAdmin('staff', ['bulletin-unit-staff'], '芳', '刘');
  const hrss = await unitId(app, '区人社局');
  await app.strapi
    .documents('api::unit.unit')
    .update({ documentId: hrss.documentId, data: { adminUsers: { connect: [{ id: staff }] } } as never });
}, 180000);
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
});

const as = (who: string) => ({ Authorization: `Bearer ${token[who]}` });
const desk = (who: string, issue?: string) =>
  app
    .http()
    .get('/bulletin-desk')
    .query(issue === undefined ? {} : { issue })
    .set(as(who));

/** An item of its own, in the given state (adopted / returned via the office's workflow). */
async function anItem(
  state: 'submitted' | 'adopted',
  unit = '区人社局',
): Promise<{ documentId: string; headline: string }> {
  serial += 1;
  const headline = `编排台测试${serial}：${unit}开展工作`;
  const units = [(await unitId(app, unit)).documentId];
  const created = await app.strapi
    .documents(ITEM)
    .create({ data: { headline, body: `${headline}。第一段。\n\n第二段。`, units, state } as never });
  return { documentId: created.documentId, headline };
}

/** A new issue started on the desk (the next number of 上街信息, footer from the latest issue). */
async function nextIssue(who = 'editor', edition = 'regular') {
  const res = await app.http().post('/bulletin-desk/issues').set(as(who)).send({ publication: '上街信息', edition });
  expect(res.status).toBe(201);
  return res.body.data as {
    documentId: string;
    version: string;
    label: string;
    title: string;
    head: Record<string, unknown>;
    checklist: { path: string[]; message: string }[];
    items: { documentId: string }[];
  };
}

const save = (who: string, documentId: string, body: Record<string, unknown>) =>
  app.http().put(`/bulletin-desk/issues/${documentId}`).set(as(who)).send(body);
const signOff = (who: string, documentId: string, version: string) =>
  app.http().post(`/bulletin-desk/issues/${documentId}/sign-off`).set(as(who)).send({ version });
const printedOrder = async (documentId: string) =>
  (
    (await app.strapi.db.query(ITEM).findMany({
      where: { issue: { documentId } },
      select: ['headline', 'position'],
      orderBy: { position: 'asc' },
    })) as { headline: string }[]
  ).map((item) => item.headline);

describe('permissions', () => {
  test('editors review and compose, signers sign off, both roles do both', async () => {
    const expected = {
      editor: { open: true, review: true, compose: true, signOff: false },
      signer: { open: true, review: false, compose: false, signOff: true },
      head: { open: true, review: true, compose: true, signOff: true },
    };
    for (const [who, permissions] of Object.entries(expected)) {
      const res = await desk(who);
      expect(res.status).toBe(200);
      expect(res.body.data.permissions).toEqual(permissions);
    }
  });

  test('unit staff in the admin get 403 on every desk route, without a login 401; nothing is written', async () => {
    const item = await anItem('submitted');
    const issue = await nextIssue();
    const before = await app.strapi.db.query(ISSUE).count({});
    const calls = [
      () => app.http().get('/bulletin-desk'),
      () => app.http().post(`/bulletin-desk/items/${item.documentId}/adopt`).send({}),
      () => app.http().post(`/bulletin-desk/items/${item.documentId}/return`).send({ reason: '不采用' }),
      () => app.http().post('/bulletin-desk/issues').send({}),
      () => app.http().put(`/bulletin-desk/issues/${issue.documentId}`).send({ version: issue.version, items: [] }),
      () => app.http().post(`/bulletin-desk/issues/${issue.documentId}/sign-off`).send({ version: issue.version }),
      () => app.http().get(`/bulletin-desk/issues/${issue.documentId}/docx`),
    ];
    for (const call of calls) {
      const refused = await call().set(as('staff'));
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain('没有使用编排台的权限');
      expect((await call()).status).toBe(401);
    }
    expect(await app.strapi.db.query(ISSUE).count({})).toBe(before);
    expect((await app.strapi.db.query(ITEM).findOne({ where: { documentId: item.documentId } })).state).toBe(
      'submitted',
    );
  });

  test('a signer cannot review or compose; an editor cannot sign off', async () => {
    const item = await anItem('submitted');
    const adopted = await anItem('adopted');
    const issue = await nextIssue();
    const adopt = await app.http().post(`/bulletin-desk/items/${item.documentId}/adopt`).set(as('signer')).send({});
    expect(adopt.status).toBe(403);
    expect(adopt.body.error.message).toContain('须为编辑');
    expect((await app.http().post('/bulletin-desk/issues').set(as('signer')).send({})).status).toBe(403);
    expect(
      (await save('signer', issue.documentId, { version: issue.version, items: [adopted.documentId] })).status,
    ).toBe(403);
    const saved = await save('editor', issue.documentId, { version: issue.version, items: [adopted.documentId] });
    expect(saved.status).toBe(200);
    const refused = await signOff('editor', issue.documentId, saved.body.data.version);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('须为签发人');
    expect(
      await app.strapi.db
        .query(ISSUE)
        .count({ where: { documentId: issue.documentId, publishedAt: { $notNull: true } } }),
    ).toBe(0);
  });
});

describe('review (待审信息)', () => {
  test('submitted items are queued newest first with unit, submitter and body; 采用 moves one to the tray', async () => {
    const first = await anItem('submitted', '峡窝镇');
    const second = await anItem('submitted', '区人社局');
    const before = (await desk('editor')).body.data.items as {
      documentId: string;
      state: string;
      units: string[];
      body: string;
    }[];
    const queued = before.filter((item) => item.state === 'submitted').map((item) => item.documentId);
    expect(queued.indexOf(second.documentId)).toBeLessThan(queued.indexOf(first.documentId));
    expect(before.find((item) => item.documentId === first.documentId)).toMatchObject({
      units: ['峡窝镇'],
      body: expect.stringContaining('第二段'),
    });

    const adopted = await app.http().post(`/bulletin-desk/items/${first.documentId}/adopt`).set(as('editor')).send({});
    expect(adopted.status).toBe(200);
    expect(adopted.body.data).toMatchObject({ documentId: first.documentId, state: 'adopted', issue: null });
    const after = (await desk('editor')).body.data.items as { documentId: string; state: string }[];
    expect(after.find((item) => item.documentId === first.documentId)?.state).toBe('adopted');
  });

  test('退回 needs a reason (the workflow’s message); with one, the contributor’s item carries it', async () => {
    const item = await anItem('submitted');
    const missing = await app
      .http()
      .post(`/bulletin-desk/items/${item.documentId}/return`)
      .set(as('editor'))
      .send({ reason: '  ' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('退回信息须填写退回理由');
    expect((await app.strapi.db.query(ITEM).findOne({ where: { documentId: item.documentId } })).state).toBe(
      'submitted',
    );
    const returned = await app
      .http()
      .post(`/bulletin-desk/items/${item.documentId}/return`)
      .set(as('editor'))
      .send({ reason: '数据需核实' });
    expect(returned.status).toBe(200);
    expect(
      await app.strapi.db
        .query(ITEM)
        .findOne({ where: { documentId: item.documentId }, select: ['state', 'returnReason'] }),
    ).toEqual(expect.objectContaining({ state: 'returned', returnReason: '数据需核实' }));
    expect((await app.http().post('/bulletin-desk/items/no-such-item/adopt').set(as('editor')).send({})).status).toBe(
      404,
    );
  });
});

describe('composing', () => {
  test('the next issue: numbered at once, dated today, issuer, column and footer from the latest signed-off issue', async () => {
    const latest = await app.strapi.db.query(ISSUE).findOne({
      where: { publication: '上街信息', publishedAt: { $notNull: true } },
      orderBy: [{ date: 'desc' }, { number: 'desc' }, { id: 'desc' }],
      populate: { issuer: true, sendTo: { populate: { group: true } }, distributeTo: { populate: { group: true } } },
    });
    const desked = await desk('editor');
    const today = desked.body.data.today as string;
    const offered = (
      desked.body.data.next as { publication: string; edition: string; number: number; label: string }[]
    ).find((next) => next.publication === '上街信息' && next.edition === 'regular');
    const issue = await nextIssue();
    const row = await app.strapi.db.query(ISSUE).findOne({
      where: { documentId: issue.documentId, publishedAt: null },
      populate: { issuer: true, sendTo: { populate: { group: true } }, distributeTo: { populate: { group: true } } },
    });
    expect(row.date).toBe(today);
    expect(row.number).toBe(offered?.number);
    expect(issue.label).toBe(offered?.label);
    expect(issue.label).toBe(`第${row.number}期`);
    expect(issue.title).toBe(`上街信息 ${today.slice(0, 4)}年第${row.number}期`);
    expect(row.issuer?.documentId).toBe(latest.issuer?.documentId);
    expect(row.columnTitle).toBe(latest.columnTitle);
    const groups = (entries: { group: { name: string } }[]) => entries.map((entry) => entry.group.name);
    expect(groups(row.sendTo)).toEqual(groups(latest.sendTo));
    expect(groups(row.distributeTo)).toEqual(groups(latest.distributeTo));
    // Only the items are missing.
    expect(issue.checklist.map((line) => line.message)).toEqual(['签发前至少编入一条信息']);
  });

  test('what is saved is the order shown; an item taken back out returns to the tray', async () => {
    const items = [await anItem('adopted'), await anItem('adopted', '峡窝镇'), await anItem('adopted', '矿山街道')];
    const issue = await nextIssue();
    const order = [items[2], items[0], items[1]];
    const saved = await save('editor', issue.documentId, {
      version: issue.version,
      items: order.map((item) => item.documentId),
    });
    expect(saved.status).toBe(200);
    expect(saved.body.data.items.map((item: { documentId: string }) => item.documentId)).toEqual(
      order.map((item) => item.documentId),
    );
    expect(await printedOrder(issue.documentId)).toEqual(order.map((item) => item.headline));
    expect(saved.body.data.checklist).toEqual([]);

    const reordered = [order[1], order[2]];
    const date = `${(issue.head.date as string).slice(0, 4)}-01-02`;
    const again = await save('editor', issue.documentId, {
      version: saved.body.data.version,
      items: reordered.map((item) => item.documentId),
      date,
    });
    expect(again.status).toBe(200);
    expect(again.body.data.head.date).toBe(date);
    expect(await printedOrder(issue.documentId)).toEqual(reordered.map((item) => item.headline));
    const trayed = (await desk('editor')).body.data.items as {
      documentId: string;
      issue: string | null;
      state: string;
    }[];
    expect(trayed.find((item) => item.documentId === order[0].documentId)).toMatchObject({
      state: 'adopted',
      issue: null,
    });

    // The draft on paper: the same record the preview renders.
    const docx = await app
      .http()
      .get(`/bulletin-desk/issues/${issue.documentId}/docx`)
      .set(as('signer'))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(docx.status).toBe(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    expect((docx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
  });

  test('a save based on an older version is refused (409) naming who saved in between; nothing is written', async () => {
    const [a, b] = [await anItem('adopted'), await anItem('adopted')];
    const issue = await nextIssue();
    const first = await save('editor2', issue.documentId, { version: issue.version, items: [a.documentId] });
    expect(first.status).toBe(200);
    const stale = await save('editor', issue.documentId, {
      version: issue.version,
      items: [b.documentId, a.documentId],
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toContain(`${names.editor2}已在您打开之后保存了这一期`);
    expect(stale.body.error.details.issue.version).toBe(first.body.data.version);
    expect(stale.body.error.details.issue.items.map((item: { documentId: string }) => item.documentId)).toEqual([
      a.documentId,
    ]);
    expect(await printedOrder(issue.documentId)).toEqual([a.headline]);
    const missing = await save('editor', issue.documentId, { items: [b.documentId] });
    expect(missing.status).toBe(409);
    // A sign-off on what the signer did not see is refused the same way.
    const late = await signOff('signer', issue.documentId, issue.version);
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain(names.editor2);
    expect(
      await app.strapi.db
        .query(ISSUE)
        .count({ where: { documentId: issue.documentId, publishedAt: { $notNull: true } } }),
    ).toBe(0);
  });

  test('no path around the rules: an item not adopted, an item in another issue, a bad list, a signed-off issue', async () => {
    const submitted = await anItem('submitted');
    const elsewhere = await anItem('adopted');
    const mine = await anItem('adopted');
    const other = await nextIssue();
    const placed = await save('editor', other.documentId, { version: other.version, items: [elsewhere.documentId] });
    expect(placed.status).toBe(200);
    const issue = await nextIssue();
    const refused = await save('editor', issue.documentId, {
      version: issue.version,
      items: [mine.documentId, submitted.documentId, elsewhere.documentId],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain(`“${submitted.headline}”是“已报送”的信息`);
    expect(refused.body.error.message).toContain(`“${elsewhere.headline}”已被编入另一期`);
    expect(await printedOrder(issue.documentId)).toEqual([]);
    expect(await printedOrder(other.documentId)).toEqual([elsewhere.headline]);
    for (const items of ['x', [1, 2], null]) {
      const bad = await save('editor', issue.documentId, { version: issue.version, items });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('items');
    }
    expect(
      (await save('editor', issue.documentId, { version: issue.version, items: [mine.documentId], date: '2026/01/01' }))
        .status,
    ).toBe(400);
    expect((await save('editor', 'no-such-issue', { version: issue.version, items: [] })).status).toBe(404);

    // Signed off: its items are frozen for the desk as for everyone (the Document Service's own refusal).
    const signed = await signOff('signer', other.documentId, placed.body.data.version);
    expect(signed.status).toBe(200);
    const draft = (await desk('editor', other.documentId)).body.data.issue;
    const frozen = await save('editor', other.documentId, { version: draft.version, items: [] });
    expect(frozen.status).toBe(400);
    expect(frozen.body.error.message).toContain('须先撤回签发');
    expect(await printedOrder(other.documentId)).toEqual([elsewhere.headline]);
  });
});

describe('sign-off (签发)', () => {
  test('a signer signs off a ready issue through the Document Service: published, record frozen in the shown order', async () => {
    const items = [await anItem('adopted'), await anItem('adopted', '峡窝镇')];
    const issue = await nextIssue('head');
    const saved = await save('head', issue.documentId, {
      version: issue.version,
      items: [items[1].documentId, items[0].documentId],
    });
    expect(saved.status).toBe(200);
    const signed = await signOff('head', issue.documentId, saved.body.data.version);
    expect(signed.status).toBe(200);
    expect(signed.body.data.signedOff).toBe(true);
    const published = await app.strapi.db.query(ISSUE).findOne({
      where: { documentId: issue.documentId, publishedAt: { $notNull: true } },
      select: ['record', 'firstSignedOffAt'],
    });
    expect(published.firstSignedOffAt).not.toBeNull();
    expect(published.record.items.map((item: { headline: string }) => item.headline)).toEqual([
      items[1].headline,
      items[0].headline,
    ]);
  });

  test('every rule the sign-off refuses is listed, and the sign-off is refused with all of them', async () => {
    // A draft with no issuer, no date, no footer and an item that is no longer adopted (written past the rules, as old data might be).
    const issue = await app.strapi
      .documents(ISSUE)
      .create({ data: { publication: '上街信息', edition: 'special' } as never });
    // A new issue is dated today; an editor may clear the date (the form allows it).
    await app.strapi.db
      .query(ISSUE)
      .update({ where: { documentId: issue.documentId, publishedAt: null }, data: { date: null } });
    const item = await anItem('adopted');
    const desked = await desk('signer', issue.documentId);
    expect(desked.body.data.issue.checklist.map((line: { path: string[] }) => line.path[0])).toEqual(
      expect.arrayContaining(['issuer', 'date', 'items']),
    );
    const latest: { sendTo: unknown[]; distributeTo: unknown[] } = await app.strapi.db.query(ISSUE).findOne({
      where: { publication: '上街信息', publishedAt: { $notNull: true } },
      orderBy: [{ date: 'desc' }, { number: 'desc' }],
      populate: { sendTo: true, distributeTo: true },
    });
    expect(latest.sendTo.length + latest.distributeTo.length).toBeGreaterThan(0);
    const expectedLines = desked.body.data.issue.expectedLines as string[];
    expect(expectedLines.length).toBeGreaterThan(0);
    for (const line of expectedLines)
      expect(desked.body.data.issue.checklist.map((each: { path: string[] }) => each.path[0])).toContain(line);

    const refused = await signOff('signer', issue.documentId, desked.body.data.issue.version);
    expect(refused.status).toBe(400);
    for (const message of ['签发前须填写编印单位', '签发前须填写签发日期', '签发前至少编入一条信息', '版记缺少'])
      expect(refused.body.error.message).toContain(message);

    // The item rule: an item in the issue that is not adopted.
    await app.strapi.db.query(ITEM).update({
      where: { documentId: item.documentId },
      data: {
        issue: (
          await app.strapi.db.query(ISSUE).findOne({ where: { documentId: issue.documentId, publishedAt: null } })
        ).id,
        state: 'submitted',
      },
    });
    const withItem = (await desk('signer', issue.documentId)).body.data.issue;
    expect(withItem.checklist.map((line: { message: string }) => line.message)).toContain(
      `有 1 条信息尚未采用，不能签发：“${item.headline}”（已报送）`,
    );
    const again = await signOff('signer', issue.documentId, withItem.version);
    expect(again.status).toBe(400);
    expect(again.body.error.message).toContain('尚未采用');
    expect(
      await app.strapi.db
        .query(ISSUE)
        .count({ where: { documentId: issue.documentId, publishedAt: { $notNull: true } } }),
    ).toBe(0);
  });
});

describe('bad input', () => {
  test('odd identifiers, texts that cannot be stored and wrong shapes are a 400 or 404 naming what is wrong, never a 500', async () => {
    const item = await anItem('submitted');
    const issue = await nextIssue();
    const odd = encodeURIComponent('a\u0000b');
    expect((await app.http().get('/bulletin-desk').query({ issue: 'a\u0000b' }).set(as('editor'))).status).toBe(404);
    expect(
      (
        await app
          .http()
          .get('/bulletin-desk')
          .query({ issue: ['a', 'b'] })
          .set(as('editor'))
      ).status,
    ).toBe(404);
    expect((await app.http().post(`/bulletin-desk/items/${odd}/adopt`).set(as('editor')).send({})).status).toBe(404);
    expect(
      (
        await app
          .http()
          .put(`/bulletin-desk/issues/${odd}`)
          .set(as('editor'))
          .send({ version: issue.version, items: [] })
      ).status,
    ).toBe(404);
    expect(
      (
        await app
          .http()
          .post(`/bulletin-desk/issues/${odd}/sign-off`)
          .set(as('signer'))
          .send({ version: issue.version })
      ).status,
    ).toBe(404);
    expect((await app.http().get(`/bulletin-desk/issues/${odd}/docx`).set(as('editor'))).status).toBe(404);
    const nul = await app
      .http()
      .post(`/bulletin-desk/items/${item.documentId}/return`)
      .set(as('editor'))
      .send({ reason: '理由\u0000' });
    expect(nul.status).toBe(400);
    const shape = await app
      .http()
      .post(`/bulletin-desk/items/${item.documentId}/return`)
      .set(as('editor'))
      .send({ reason: { text: '理由' } });
    expect(shape.status).toBe(400);
    expect(shape.body.error.message).toContain('reason');
    const publication = await app
      .http()
      .post('/bulletin-desk/issues')
      .set(as('editor'))
      .send({ publication: '刊\u0000名' });
    expect(publication.status).toBe(400);
    expect(publication.body.error.message).toContain('publication');
    const edition = await app.http().post('/bulletin-desk/issues').set(as('editor')).send({ edition: 'weekly' });
    expect(edition.status).toBe(400);
    expect(edition.body.error.message).toContain('edition');
    const items = await save('editor', issue.documentId, { version: issue.version, items: ['a\u0000b'] });
    expect(items.status).toBe(400);
    expect((await app.strapi.db.query(ITEM).findOne({ where: { documentId: item.documentId } })).state).toBe(
      'submitted',
    );
  });
});
