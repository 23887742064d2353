import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawnSync } from 'child_process';
import { Document, Packer, Paragraph } from 'docx';
import { bootApp, createApiToken, type TestApp } from '../support/app';
import { graphql } from '../support/graphql';
import { fileText } from '../../src/strapi/importer';
import { parseBulletin } from '../../src/domain/bulletin-parser';
import type { IssueRecord } from '../../src/domain/record';
import { fullSelection } from '../../src/strapi/record-graphql';
import { REFERENCE_ATTRIBUTIONS } from '../support/reference-expected';

const ISSUE = fullSelection('BulletinIssue');

/**
 * `npm run import`: the reference issue and two made-up issues of another publication into PostgreSQL, read back over
 * GraphQL; a re-import changes nothing; a file that fails leaves no row behind; Word files read like their text.
 */

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const REFERENCE = path.join(FIXTURES, 'shangjie-xinxi-2020-14.txt');
const ZHENGWU = path.join(FIXTURES, 'import', 'zhengwu-xinxi-2019-06.txt');
const HEYANG = path.join(FIXTURES, 'import', 'heyang-xinxi-supplement-5.txt');
const LAYOUTS = path.join(FIXTURES, 'import', 'layouts');
const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'import.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-import-'));

// Every run of the script boots the app on its own: on a loaded machine that alone can take a minute.
jest.setTimeout(420000);

let app: TestApp;
let token: string;

beforeAll(async () => {
  app = await bootApp({ demo: false });
  token = await createApiToken(app.strapi, 'read-only');
});
afterAll(async () => {
  await (app as TestApp | undefined)?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const run = (...args: string[]) =>
  spawnSync(process.execPath, [SCRIPT, ...args], {
    env: { ...process.env, BULLETIN_DIST_DIR: process.env.BULLETIN_TEST_DIST_DIR, LOG_LEVEL: 'error' },
    encoding: 'utf8',
    timeout: 180000,
    // The report goes to the current folder by default: this test's own.
    cwd: tmp,
  });

/** stderr without Node's deprecation notices (pg warns about Strapi's own query pattern). */
const problems = (stderr: string) =>
  stderr
    .split('\n')
    .filter((line) => line.trim() !== '' && !/DeprecationWarning|--trace-deprecation/.test(line))
    .join('\n');

async function fingerprint(): Promise<Record<string, number>> {
  const knex = app.strapi.db.connection;
  const counts: Record<string, number> = {};
  for (const table of ['issues', 'items', 'units', 'recipient_groups', 'items_units_lnk', 'issues_cmps']) {
    counts[table] = Number(((await knex(table).count({ n: '*' }).first()) as { n: string }).n);
  }
  return counts;
}

test('three files imported with --publish, then read back over GraphQL as printed', async () => {
  // 区人社局 may exist already: the archive-layouts test imports the same issue under another publication (any order).
  const unitDocuments = async () =>
    new Set(
      (await app.strapi.db.query('api::unit.unit').findMany({ where: { shortName: '区人社局' } })).map(
        (row: { documentId: string }) => row.documentId,
      ),
    );
  const existed = (await unitDocuments()).size > 0;
  const result = run(REFERENCE, ZHENGWU, HEYANG, '--publish', '--create-units');
  expect(problems(result.stderr)).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('共 3 个文件：导入 3，已存在跳过 0，单位未知跳过 0，失败 0');
  // Created when missing and said so; matched, not made twice, when present.
  expect(result.stdout.includes('新建单位“区人社局”')).toBe(!existed);
  expect((await unitDocuments()).size).toBe(1);

  const reference = await graphql<{ bulletinIssue: IssueRecord }>(
    app,
    token,
    `{ bulletinIssue(publication: "上街信息", year: 2020, number: 14) ${ISSUE} }`,
  );
  const record = reference.data!.bulletinIssue;
  expect(record.labels.issueLine).toBe('第14期');
  expect(record.labels.date).toBe('2020年2月19日');
  expect(record.column?.label).toBe('坚定信心 众志成城 坚决打赢疫情防控阻击战（七）');
  expect(record.items.map((item) => item.attribution)).toEqual(REFERENCE_ATTRIBUTIONS);
  expect(record.items[1].paragraphs.some((paragraph) => paragraph.includes('优先受理小微企业的贷款申请'))).toBe(true);
  expect(record.footer.map((line) => `${line.label}：${line.text}`)).toEqual([
    '本期送：区县处级领导',
    '发：峡窝镇、各街道办事处、区直各单位负责同志',
    '责任编辑：郝婕 李德昭',
  ]);

  const zhengwu = await graphql<{ bulletinIssue: IssueRecord }>(
    app,
    token,
    `{ bulletinIssue(publication: "政务信息", year: 2019, number: 6) ${ISSUE} }`,
  );
  const expected = parseBulletin(fs.readFileSync(ZHENGWU, 'utf8'));
  if (!expected.ok) throw new Error('fixture does not parse');
  expect(zhengwu.data!.bulletinIssue.items.map((item) => item.headline)).toEqual(
    expected.issue.items.map((item) => item.headline),
  );
  expect(zhengwu.data!.bulletinIssue.items.map((item) => item.section)).toEqual(
    expected.issue.items.map((item) => item.section),
  );

  const heyang = parseBulletin(fs.readFileSync(HEYANG, 'utf8'));
  if (!heyang.ok) throw new Error('fixture does not parse');
  const supplement = await graphql<{ bulletinIssue: IssueRecord }>(
    app,
    token,
    `query($p: String!, $y: Int!, $n: Int!) { bulletinIssue(publication: $p, year: $y, number: $n, edition: "supplement") ${ISSUE} }`,
    { p: heyang.issue.publication, y: heyang.issue.year, n: heyang.issue.number },
  );
  expect(supplement.data!.bulletinIssue.labels.issueLine).toContain(`增刊第${heyang.issue.number}期`);
  expect(supplement.data!.bulletinIssue.items).toHaveLength(heyang.issue.items.length);
});

test('a re-import changes nothing and says so', async () => {
  // A file of this test's own, imported, then imported again (the three above are the first test's).
  const file = path.join(tmp, 'again.txt');
  fs.writeFileSync(
    file,
    `重导信息\n\n第3期（总第301期）\n\n丙县委办公室\n\n2021年4月2日\n\n一条信息 近日，正文写完了。（丙县人社局）\n\n发：丙县各单位\n\n责任编辑：张三`,
  );
  const first = run(file, '--publish', '--create-units');
  expect(problems(first.stderr)).toBe('');
  expect(first.stdout).toContain('共 1 个文件：导入 1，已存在跳过 0，单位未知跳过 0，失败 0');
  const before = await fingerprint();
  const result = run(file, '--publish', '--create-units');
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('共 1 个文件：导入 0，已存在跳过 1，单位未知跳过 0，失败 0');
  expect(result.stdout).toContain('跳过 重导信息 2021年第3期：已存在，未作改动');
  expect(await fingerprint()).toEqual(before);
});

test('a file that fails leaves no row behind, and the error names the file and what was wrong', async () => {
  // 总第101期 is taken by the first file; the second fails after creating its issuer and group — all rolled back.
  const first = path.join(tmp, 'first.txt');
  const second = path.join(tmp, 'second.txt');
  const text = (number: number, issuer: string, group: string) =>
    `测试信息\n\n第${number}期（总第101期）\n\n${issuer}\n\n2021年3月${number}日\n\n第一条信息 近日，第一条的正文写完了。（县人社局）\n\n发：${group}\n\n责任编辑：张三`;
  fs.writeFileSync(first, text(1, '甲县委办公室', '各乡镇'));
  fs.writeFileSync(second, text(2, '乙县委办公室', '乙县各单位'));
  const firstRun = run(first, '--create-units');
  expect(problems(firstRun.stderr)).toBe('');
  expect(firstRun.status).toBe(0);
  const before = await fingerprint();

  const failed = run(second, '--create-units');
  expect(failed.status).toBe(1);
  expect(failed.stderr).toContain(`失败 ${second}`);
  expect(failed.stderr).toContain('总');
  expect(await fingerprint()).toEqual(before);
  expect(await app.strapi.db.query('api::unit.unit').findOne({ where: { shortName: '乙县委办公室' } })).toBeNull();
  expect(
    await app.strapi.db.query('api::recipient-group.recipient-group').findOne({ where: { name: '乙县各单位' } }),
  ).toBeNull();

  const garbage = path.join(tmp, 'garbage.txt');
  fs.writeFileSync(garbage, '这不是一期简报\n只是几行字\n');
  const broken = run(garbage);
  expect(broken.status).toBe(1);
  expect(broken.stderr).toMatch(new RegExp(`${garbage.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+: `));
  expect(await fingerprint()).toEqual(before);
});

test('--dry-run prints what was recognised and writes nothing', async () => {
  const before = await fingerprint();
  const result = run(ZHENGWU, '--dry-run');
  expect(result.status).toBe(0);
  const printed = JSON.parse(result.stdout) as { issue: { publication: string; number: number } }[];
  expect(printed[0].issue).toMatchObject({ publication: '政务信息', number: 6 });
  expect(await fingerprint()).toEqual(before);
});

test('a Word file made with the docx library reads like its text', async () => {
  const lines = fs.readFileSync(REFERENCE, 'utf8').split('\n');
  const document = new Document({ sections: [{ children: lines.map((line) => new Paragraph({ text: line })) }] });
  const bytes = await Packer.toBuffer(document);
  const fromWord = parseBulletin(await fileText('reference.docx', Buffer.from(bytes)));
  const fromText = parseBulletin(fs.readFileSync(REFERENCE, 'utf8'));
  if (!fromWord.ok || !fromText.ok) throw new Error('the reference does not parse');
  // Word's paragraphs come out with blank lines between them, so only the line numbers differ.
  const withoutLines = (issue: typeof fromText.issue) => ({
    ...issue,
    items: issue.items.map(({ line: _line, ...item }) => item),
  });
  expect(withoutLines(fromWord.issue)).toEqual(withoutLines(fromText.issue));
  expect(fromWord.issue.items).toHaveLength(6);
});

test('a folder imports every .txt and .docx file in it (subfolders too) and ends with a summary', async () => {
  // A folder of this test's own: two issues of a publication no other test uses, one in a subfolder, and a file the
  // importer does not read.
  const folder = fs.mkdtempSync(path.join(tmp, 'folder-'));
  fs.mkdirSync(path.join(folder, '2022'));
  const text = (number: number) =>
    `整卷信息\n\n第${number}期\n\n丁县委办公室\n\n2022年5月${number}日\n\n第${number}条信息 近日，正文写完了。（丁县人社局）\n\n发：丁县各单位\n\n责任编辑：张三`;
  fs.writeFileSync(path.join(folder, 'a.txt'), text(1));
  fs.writeFileSync(path.join(folder, '2022', 'b.txt'), text(2));
  fs.writeFileSync(path.join(folder, 'notes.md'), '不是简报');
  const result = run(folder, '--create-units');
  expect(problems(result.stderr)).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('共 2 个文件：导入 2，已存在跳过 0，单位未知跳过 0，失败 0');
  const numbers = await app.strapi.db
    .query('api::issue.issue')
    .findMany({ where: { publication: '整卷信息' }, select: ['number'] });
  expect([...new Set(numbers.map((row: { number: number }) => row.number))].sort()).toEqual([1, 2]);

  const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
  const none = run(empty);
  expect(none.status).toBe(1);
  expect(none.stderr).toContain('the folder has no .txt, .docx or .html file');
});

test('a unit no name matches is not made up: the issue is skipped, naming the unit and its line; created in the admin, the same file imports', async () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const issuer = `戊县委办公室${suffix}`;
  const unknown = `戊县档案馆${suffix}`;
  await app.strapi
    .documents('api::unit.unit')
    .create({ data: { shortName: issuer, kind: 'office', active: true } as never });
  const file = path.join(tmp, `unknown-${suffix}.txt`);
  fs.writeFileSync(
    file,
    `未知单位信息\n第7期\n${issuer}\n2023年6月1日\n旧刊整理完毕 近日，旧刊整理完毕。（${unknown}）\n发：戊县各单位`,
  );
  const reportFile = path.join(tmp, `unknown-${suffix}.json`);
  const before = await fingerprint();
  const skipped = run(file, '--report', reportFile);
  expect(problems(skipped.stderr)).toBe('');
  expect(skipped.status).toBe(0);
  expect(skipped.stdout).toContain(
    `跳过 未知单位信息 2023年第7期：单位未知，未导入：“${unknown}”（第 5 行“旧刊整理完毕”的署名）。请先在后台“单位”中新建`,
  );
  expect(skipped.stdout).toContain('共 1 个文件：导入 0，已存在跳过 0，单位未知跳过 1，失败 0');
  expect(skipped.stdout).toContain(`未知单位：${unknown}（`);
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as Report;
  expect(report.summary).toEqual({ files: 1, imported: 0, skipped: 1, failed: 0, unknownUnits: [unknown] });
  expect(report.files[0]).toMatchObject({ status: 'skipped', unknownUnits: [unknown] });
  // Nothing written: no issue, no unit, no recipient group.
  expect(await fingerprint()).toEqual(before);

  // The office creates the unit in the admin, and runs the same import again.
  const unit = await app.strapi
    .documents('api::unit.unit')
    .create({ data: { shortName: unknown, kind: 'department', active: true } as never });
  const imported = run(file, '--no-report');
  expect(problems(imported.stderr)).toBe('');
  expect(imported.stdout).toContain('共 1 个文件：导入 1，已存在跳过 0，单位未知跳过 0，失败 0');
  expect(imported.stdout).not.toContain('新建单位');
  const items = (await app.strapi.db.query('api::item.item').findMany({
    where: { issue: { publication: '未知单位信息', number: 7 } },
    populate: ['units'],
  })) as { units: { documentId: string }[] }[];
  expect(items.length).toBeGreaterThan(0);
  expect(items.every((item) => item.units.map((u) => u.documentId).join() === unit.documentId)).toBe(true);
});

type Report = {
  dryRun: boolean;
  summary: Record<string, number | string[]>;
  files: { file: string; status: string; label?: string; reason?: string; errors?: string[]; created?: string[] }[];
};

test('a folder of archive layouts, a web page and a broken file: a summary, a report of why, and a re-run changes nothing', async () => {
  // The reference in every archive layout (tests/fixtures/import/layouts), imported under a publication of this
  // test's own: all the same issue, so the first in name order is imported and the others are skipped as present.
  const folder = fs.mkdtempSync(path.join(tmp, 'layouts-'));
  const layouts = fs.readdirSync(LAYOUTS).filter((name) => name.endsWith('.txt'));
  for (const name of layouts) fs.copyFileSync(path.join(LAYOUTS, name), path.join(folder, name));
  const page = fs
    .readFileSync(REFERENCE, 'utf8')
    .split('\n')
    .map((line) => `<p>${line}</p>`)
    .join('\n');
  fs.writeFileSync(
    path.join(folder, 'web-page.html'),
    `<html><head><meta charset="utf-8"></head><body>${page}</body></html>`,
  );
  fs.writeFileSync(path.join(folder, 'zz-broken.txt'), '档案信息\n中共上街区委办公室\n这一期没有期号。');
  // One more issue whose attribution names a unit no other test has: it is created, and the report says where.
  fs.writeFileSync(
    path.join(folder, 'zy-other.txt'),
    '档案信息\n第15期\n中共上街区委办公室\n2020年2月20日\n档案馆整理旧刊 近日，档案馆整理了旧刊。（档案测试馆）\n发：各街道办事处',
  );
  const reportFile = path.join(tmp, 'layouts-report.json');

  const first = run(folder, '--publication', '档案信息', '--create-units', '--report', reportFile);
  expect(problems(first.stderr.replace(/^失败 .*zz-broken\.txt$|^ {2}· .*zz-broken\.txt.*$/gmu, ''))).toBe('');
  expect(first.status).toBe(1);
  const total = layouts.length + 3;
  expect(first.stdout).toContain(`共 ${total} 个文件：导入 2，已存在跳过 ${total - 3}，单位未知跳过 0，失败 1`);
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as Report;
  expect(report.summary).toEqual({ files: total, imported: 2, skipped: total - 3, failed: 1, unknownUnits: [] });
  expect(
    report.files
      .filter((entry) => entry.status === 'skipped')
      .every((entry) => entry.label === '档案信息 2020年第14期' && entry.reason === '已存在，未作改动'),
  ).toBe(true);
  const broken = report.files.find((entry) => entry.file.endsWith('zz-broken.txt'));
  expect(broken?.status).toBe('failed');
  expect(broken?.errors?.[0]).toMatch(/zz-broken\.txt:\d+: 第 \d+ 行：应为期号行/u);
  const other = report.files.find((entry) => entry.file.endsWith('zy-other.txt'));
  expect(other?.created).toContain('新建单位“档案测试馆”（第 5 行“档案馆整理旧刊”的署名）');

  const items = await app.strapi.db.query('api::item.item').findMany({
    where: { issue: { publication: '档案信息', number: 14 } },
    orderBy: { position: 'asc' },
    populate: ['units'],
  });
  const perDocument = new Map<string, { headline: string; units: { shortName: string }[] }>();
  for (const item of items as { documentId: string; headline: string; units: { shortName: string }[] }[])
    perDocument.set(item.documentId, item);
  // The first item carries no printed attribution: it is the issuing office's own (src/domain/attribution.ts).
  expect([...perDocument.values()].map((item) => item.units.map((unit) => unit.shortName))).toEqual([
    ['中共上街区委办公室'],
    ['区人社局'],
    ['通航试验区管委会'],
    ['峡窝镇'],
    ['矿山街道'],
    ['区文广旅局'],
  ]);

  const before = await fingerprint();
  const again = run(folder, '--publication', '档案信息', '--no-report');
  expect(again.stdout).toContain(`共 ${total} 个文件：导入 0，已存在跳过 ${total - 1}，单位未知跳过 0，失败 1`);
  expect(await fingerprint()).toEqual(before);
  // Without --report the import writes its report into the current folder, named by the time it started.
  const third = run(path.join(folder, 'scanned.txt'), '--publication', '档案信息');
  expect(third.status).toBe(0);
  const written = /报告：(import-report-\d{8}-\d{6}\.json)/u.exec(third.stdout);
  expect(written).not.toBeNull();
  const defaultReport = JSON.parse(fs.readFileSync(path.join(tmp, written![1]), 'utf8')) as Report;
  expect(defaultReport.files).toEqual([
    {
      file: path.join(folder, 'scanned.txt'),
      status: 'skipped',
      label: '档案信息 2020年第14期',
      reason: '已存在，未作改动',
    },
  ]);
});

test('the dry run answers for every file, whatever it holds, and names what is missing', async () => {
  const folder = fs.mkdtempSync(path.join(tmp, 'dry-'));
  fs.writeFileSync(path.join(folder, 'a-good.txt'), fs.readFileSync(path.join(LAYOUTS, 'hard-wrapped-indented.txt')));
  fs.writeFileSync(path.join(folder, 'b-not-word.docx'), 'this is not a zip file');
  fs.writeFileSync(path.join(folder, 'c-binary.txt'), Buffer.from([0, 1, 2, 255, 254, 0, 13, 10]));
  fs.writeFileSync(
    path.join(folder, 'd-no-date.html'),
    '<p>上街信息</p><p>第14期</p><p>中共上街区委办公室</p><p>正文。</p>',
  );
  const before = await fingerprint();
  const result = run(folder, '--dry-run');
  expect(result.status).toBe(1);
  const printed = JSON.parse(result.stdout) as {
    file: string;
    issue?: { number: number; items: unknown[] };
    errors?: string[];
  }[];
  expect(printed.map((entry) => path.basename(entry.file))).toEqual([
    'a-good.txt',
    'b-not-word.docx',
    'c-binary.txt',
    'd-no-date.html',
  ]);
  expect(printed[0].issue).toMatchObject({ number: 14 });
  expect(printed[0].issue?.items).toHaveLength(6);
  expect(printed[1].errors?.[0]).toContain('无法读取');
  expect(printed[2].errors?.[0]).toMatch(/c-binary\.txt:\d+: /u);
  expect(printed[3].errors?.[0]).toMatch(/d-no-date\.html:\d+: 第 \d+ 行：应为日期/u);
  expect(result.stderr).toContain('共 4 个文件：可导入 1，失败 3（试运行，未写入数据库）');
  expect(await fingerprint()).toEqual(before);
});
