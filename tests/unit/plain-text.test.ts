import { issueAsText, paragraphsOf } from '../../src/domain/plain-text';

test.each([
  ['one', ['one']],
  ['one\n\ntwo', ['one', 'two']],
  ['one\r\n\r\ntwo\n \nthree', ['one', 'two', 'three']],
  ['a line\nwrapped', ['a linewrapped']],
  ['\n\n', []],
])('paragraphsOf(%p)', (body, paragraphs) => {
  expect(paragraphsOf(body)).toEqual(paragraphs);
});

test('an issue lays out as the printed text does', () => {
  const text = issueAsText({
    publication: '上街信息',
    issueLine: '第14期',
    issuer: '中共上街区委办公室',
    date: '2020年2月19日',
    column: '专栏（七）',
    items: [
      { headline: '标题一', paragraphs: ['第一段。', '第二段。'], attribution: '' },
      { headline: '标题二', paragraphs: ['正文。'], attribution: '（区人社局）' },
    ],
    footer: [
      { label: '本期送', text: '区县处级领导' },
      { label: '责任编辑', text: '郝婕 李德昭' },
    ],
  });
  expect(text.split('\n\n')).toEqual([
    '上街信息',
    '第14期',
    '中共上街区委办公室',
    '2020年2月19日',
    '专栏（七）',
    '标题一 第一段。',
    '第二段。',
    '标题二 正文。（区人社局）',
    '本期送：区县处级领导',
    '责任编辑：郝婕 李德昭',
  ]);
});
