import {
  adoptionKindViolations,
  checkBodyAttribution,
  normalizeName,
  trailingAttribution,
} from '../../src/domain/attribution';

const own = ['区人社局'];
const others = ['区财政局', '峡窝镇', 'ＡＢＣ 中心'];

test.each([
  ['…财政部门继续给予贴息支持。（区人社局）', '…财政部门继续给予贴息支持。', []],
  ['…支持。(区人社局)', '…支持。', []],
  ['…支持。（ 区 人社局 ）  ', '…支持。', []],
  ['…支持。【区人社局】', '…支持。', []],
  ['…支持。——区人社局', '…支持。', []],
  ['…支持。——　区人社局', '…支持。', []],
  ['第一段。\n\n第二段。（区人社局）', '第一段。\n\n第二段。', []],
  ['…支持。（区财政局）', '…支持。（区财政局）', ['body']],
  ['…支持。【峡窝镇】', '…支持。【峡窝镇】', ['body']],
  ['…支持。（ABC中心）', '…支持。（ABC中心）', ['body']],
  ['…支持。（完）', '…支持。（完）', []],
  ['…支持。（记者 张三）', '…支持。（记者 张三）', []],
  ['…（区人社局）开通了绿色通道。', '…（区人社局）开通了绿色通道。', []],
  ['没有署名。', '没有署名。', []],
])('%p → %p', (body, expected, fields) => {
  const check = checkBodyAttribution(body, own, others);
  expect(check.body).toBe(expected);
  expect(check.violations.map((violation) => violation.path.join('.'))).toEqual(fields);
});

test('the refusal names the other unit', () => {
  expect(checkBodyAttribution('正文（区财政局）', own, others).violations[0].message).toContain('区财政局');
});

test.each([
  ['（区人社局）', '区人社局'],
  ['【 峡窝镇 】', '峡窝镇'],
  ['——通航试验区管委会', '通航试验区管委会'],
  ['正文', null],
])('trailingAttribution(%p)', (body, name) => {
  expect(trailingAttribution(`正文${body}`)?.name ?? null).toBe(name);
});

test('names compare by width and spaces', () => {
  expect(normalizeName('ＡＢＣ　中心 ')).toBe('ABC中心');
  expect(normalizeName('区 人社局')).toBe('区人社局');
});

test.each([
  ['single', 1, []],
  ['single', 2, ['units']],
  ['combined', 2, []],
  ['combined', 1, []],
])('adoption kind %s with %i unit(s)', (kind, count, fields) => {
  expect(adoptionKindViolations(kind, count).map((violation) => violation.path.join('.'))).toEqual(fields);
});
