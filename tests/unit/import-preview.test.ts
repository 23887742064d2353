import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import fc from 'fast-check';
import { previewFile } from '../../src/strapi/importer';
import { parseBulletin } from '../../src/domain/bulletin-parser';

/**
 * The dry run (`npm run import -- --dry-run`) on anything: random bytes, random text, the reference issue and its
 * archive layouts mutated at random. It always answers — the issue it recognised, or a refusal whose every message
 * names the file, the line and what was expected there — and never throws or reports an internal error.
 */

const fixtures = join(__dirname, '..', 'fixtures');
const reference = readFileSync(join(fixtures, 'shangjie-xinxi-2020-14.txt'), 'utf8');
const layoutsDir = join(fixtures, 'import', 'layouts');
const layouts = readdirSync(layoutsDir)
  .filter((name) => name.endsWith('.txt'))
  .map((name) => readFileSync(join(layoutsDir, name), 'utf8'));

/** What a refusal says: where (file:line) and what was missing or unreadable. */
const REFUSAL =
  /^(?<file>[^:]+)(?::\d+)?: (?:第 \d+ 行：(?:应为|应有|期号行前应有|日期 |文件为空)|无法读取：|文件为空)/u;

async function expectAnswer(file: string, bytes: Buffer): Promise<void> {
  const outcome = await previewFile(file, bytes);
  if (outcome.status === 'parsed') {
    expect(outcome.issue.items.length).toBeGreaterThan(0);
    return;
  }
  expect(outcome.errors.length).toBeGreaterThan(0);
  for (const error of outcome.errors) {
    expect(error).toMatch(REFUSAL);
    expect(error).not.toContain('内部错误');
  }
}

/** Text edits an archive does to a file: lines dropped, doubled, swapped, cut, spaces and junk put in. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('double' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), where: fc.nat() }),
  fc.record({ kind: fc.constant('join' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.string(),
      fc.constantFrom('— 2 —', '上街信息', '第14期', '（区人社局）', '【工作动态】', '发：', '　　', '2020年2月30日'),
    ),
  }),
  fc.record({ kind: fc.constant('space' as const), at: fc.nat(), where: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(text: string, edits: Mutation[]): string {
  const lines = text.split('\n');
  for (const edit of edits) {
    if (lines.length === 0) break;
    const i = edit.at % lines.length;
    const chars = Array.from(lines[i]);
    switch (edit.kind) {
      case 'drop':
        lines.splice(i, 1);
        break;
      case 'double':
        lines.splice(i, 0, lines[i]);
        break;
      case 'swap':
        if (i + 1 < lines.length) [lines[i], lines[i + 1]] = [lines[i + 1], lines[i]];
        break;
      case 'cut': {
        const w = edit.where % (chars.length + 1);
        lines.splice(i, 1, chars.slice(0, w).join(''), chars.slice(w).join(''));
        break;
      }
      case 'join':
        if (i + 1 < lines.length) lines.splice(i, 2, `${lines[i]}${lines[i + 1]}`);
        break;
      case 'insert':
        lines.splice(i, 0, edit.text);
        break;
      case 'space': {
        const w = edit.where % (chars.length + 1);
        lines[i] = `${chars.slice(0, w).join('')} ${chars.slice(w).join('')}`;
        break;
      }
    }
  }
  return lines.join('\n');
}

test('random bytes as .txt, .docx and .html: an answer, never an exception', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ maxLength: 2000 }),
      fc.constantFrom('a.txt', 'b.docx', 'c.html', 'd.htm'),
      async (bytes, file) => {
        await expectAnswer(file, Buffer.from(bytes));
      },
    ),
    { numRuns: 150 },
  );
});

test('random text: an answer, never an exception', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 500 }), async (text) => {
      await expectAnswer('random.txt', Buffer.from(text, 'utf8'));
    }),
    { numRuns: 200 },
  );
});

test('the reference and its layouts mutated at random: an answer, never an exception', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(reference, ...layouts),
      fc.array(mutation, { maxLength: 8 }),
      async (text, edits) => {
        const mutated = mutate(text, edits);
        await expectAnswer('mutated.txt', Buffer.from(mutated, 'utf8'));
        await expectAnswer(
          'mutated.html',
          Buffer.from(
            `<html><body>${mutated
              .split('\n')
              .map((line) => `<p>${line}</p>`)
              .join('')}</body></html>`,
            'utf8',
          ),
        );
      },
    ),
    { numRuns: 200 },
  );
});

test('a refusal names what is missing: no issue line, no date', () => {
  const noIssue = parseBulletin('上街信息\n中共上街区委办公室\n2020年2月19日\n正文。');
  expect(noIssue.ok).toBe(false);
  if (!noIssue.ok) expect(noIssue.errors[0].message).toContain('应为期号行');
  const noDate = parseBulletin('上街信息\n第14期\n中共上街区委办公室\n正文。');
  expect(noDate.ok).toBe(false);
  if (!noDate.ok) expect(noDate.errors[0].message).toContain('应为日期');
});

test('a web page saved from the intranet reads like the text', async () => {
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>上街信息</title><style>p{}</style></head><body>${reference
    .split('\n')
    .map((line) => `<p>${line.replace(/&/gu, '&amp;')}</p>\n`)
    .join('')}<script>var x = "第99期";</script></body></html>`;
  const fromPage = await previewFile('page.html', Buffer.from(html, 'utf8'));
  const fromText = parseBulletin(reference);
  if (fromPage.status !== 'parsed' || !fromText.ok) throw new Error('expected both to parse');
  const withoutLines = (issue: typeof fromText.issue): unknown => ({
    ...issue,
    items: issue.items.map(({ line: _line, ...item }) => item),
  });
  expect(withoutLines(fromPage.issue)).toEqual(withoutLines(fromText.issue));
});
