import { localized } from '../../src/admin/hard-coded';

test.each([
  ['Notifications alt+T', '通知'],
  ['Menu', '菜单'],
  [' Choose date ', ' 选择日期 '],
  ['draft', '草稿'],
  ['已放下编排戊，在列表中的最终位置：1 of 5。', '已放下编排戊，在列表中的最终位置：第1项（共5项）。'],
  ['上街信息 2020年第14期 | Strapi', '上街信息 2020年第14期 | 简报编辑系统'],
])('%p → %p', (text, expected) => {
  expect(localized(text)).toBe(expected);
});

test.each([['郝婕'], ['Drafts of the office'], ['PDF'], ['menu'], ['Strapi | 期']])('%p is left alone', (text) => {
  expect(localized(text)).toBeNull();
});
