import { randomBytes } from 'crypto';
import fc from 'fast-check';
import {
  accountKind,
  accountProblems,
  checkAccounts,
  createsDemoAccounts,
  csvRecords,
  DEMO_ACCOUNTS,
  generatePassword,
  isGeneratedPassword,
  parseAccountsCsv,
  parseRole,
  PASSWORD_ALPHABET,
  type AccountRow,
} from '../../src/domain/accounts';

const HEADER = 'username,email,unit,role';
const row = (overrides: Partial<AccountRow> = {}): AccountRow => ({
  line: 2,
  username: 'wangfang',
  email: 'wangfang@example.gov.cn',
  unit: '区人社局',
  role: 'contributor',
  name: null,
  ...overrides,
});

describe('roles', () => {
  test.each([
    ['contributor', 'contributor'],
    ['信息员', 'contributor'],
    [' Reader ', 'reader'],
    ['阅读人', 'reader'],
    ['editor', 'editor'],
    ['编辑', 'editor'],
    ['签发人', 'signer'],
    ['admin', null],
    ['', null],
  ])('“%s” names %s', (text, role) => {
    expect(parseRole(text)).toBe(role);
  });

  test.each([
    ['contributor', 'users-permissions'],
    ['reader', 'users-permissions'],
    ['editor', 'admin'],
    ['signer', 'admin'],
  ] as const)('a %s account lives in %s', (role, kind) => {
    expect(accountKind(role)).toBe(kind);
  });
});

describe('CSV records', () => {
  test.each([
    [
      'a,b\nc,d',
      [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['c', 'd'] },
      ],
    ],
    [
      '\uFEFFa,b\r\nc,d\r\n',
      [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['c', 'd'] },
      ],
    ],
    [
      'a\n\n\nb',
      [
        { line: 1, fields: ['a'] },
        { line: 4, fields: ['b'] },
      ],
    ],
    [
      '"x, y","say ""hi"""\nz,w',
      [
        { line: 1, fields: ['x, y', 'say "hi"'] },
        { line: 2, fields: ['z', 'w'] },
      ],
    ],
    [
      '"two\nlines",b\nc,d',
      [
        { line: 1, fields: ['two\nlines', 'b'] },
        { line: 3, fields: ['c', 'd'] },
      ],
    ],
  ])('%j', (text, records) => {
    expect(csvRecords(text)).toEqual(records);
  });

  test('an unclosed quote names its line', () => {
    expect(csvRecords('a,b\n"c,d\n')).toEqual({ line: 2, field: '', message: '第2行：引号没有闭合' });
  });
});

describe('a CSV of accounts', () => {
  test('contributors and readers with unit and role, columns in any order, Chinese headers and roles', () => {
    const text = [
      '角色,用户名,单位,邮箱,姓名',
      '信息员,wangfang,区人社局,wangfang@example.gov.cn,王芳',
      'reader,"li.lei",峡窝镇,li.lei@example.gov.cn,',
      'reader,zhao_min,,zhao@example.gov.cn,赵敏',
    ].join('\n');
    expect(parseAccountsCsv(text)).toEqual({
      violations: [],
      rows: [
        {
          line: 2,
          username: 'wangfang',
          email: 'wangfang@example.gov.cn',
          unit: '区人社局',
          role: 'contributor',
          name: '王芳',
        },
        { line: 3, username: 'li.lei', email: 'li.lei@example.gov.cn', unit: '峡窝镇', role: 'reader', name: null },
        { line: 4, username: 'zhao_min', email: 'zhao@example.gov.cn', unit: null, role: 'reader', name: '赵敏' },
      ],
    });
  });

  test.each([
    ['', [{ line: 1, field: '', message: '文件是空的：第一行应是列名 username,email,unit,role' }]],
    ['username,email,unit', [{ line: 1, field: 'role', message: '第1行：缺少列 role' }]],
    [
      'username,email,role,phone',
      [{ line: 1, field: 'phone', message: '第1行：不认识的列“phone”（可用 username、email、unit、role、name）' }],
    ],
    [
      `${HEADER}\nwangfang,wangfang@example.gov.cn,区人社局`,
      [{ line: 2, field: '', message: '第2行：有 3 列，列名行有 4 列' }],
    ],
    [
      `${HEADER}\nwangfang,wangfang@example.gov.cn,区人社局,boss`,
      [
        {
          line: 2,
          field: 'role',
          message: '第2行，role：“boss”不是角色（contributor 信息员、reader 阅读人、editor 编辑、signer 签发人）',
        },
      ],
    ],
    [
      `${HEADER}\nwang fang,not-an-address,,contributor`,
      [
        {
          line: 2,
          field: 'username',
          message: '第2行，username：“wang fang”须为 3 到 50 个字母、数字、汉字或 . _ -，不含空格',
        },
        { line: 2, field: 'email', message: '第2行，email：“not-an-address”不是电子邮件地址' },
        { line: 2, field: 'unit', message: '第2行，unit：信息员须属于一个单位' },
      ],
    ],
    [
      `${HEADER}\n\nok-user,ok@example.gov.cn,峡窝镇,reader\n,x@example.gov.cn,,reader`,
      [{ line: 4, field: 'username', message: '第4行，username：不能为空' }],
    ],
  ])('%j is refused: every problem named by line and column', (text, violations) => {
    expect(parseAccountsCsv(text).violations).toEqual(violations);
  });
});

describe('one account', () => {
  test.each([
    [row(), []],
    [row({ line: 0, unit: null }), ['unit：信息员须属于一个单位']],
    [row({ role: 'reader', unit: null }), []],
    [row({ username: 'ab' }), ['第2行，username：“ab”须为 3 到 50 个字母、数字、汉字或 . _ -，不含空格']],
    [row({ username: '王小芳' }), []],
    [row({ username: '王芳' }), ['第2行，username：“王芳”须为 3 到 50 个字母、数字、汉字或 . _ -，不含空格']],
    [row({ role: 'editor', username: '', unit: null }), []],
    [row({ role: 'signer', username: '' }), ['第2行，unit：签发人在后台工作，不属于单位（去掉 unit）']],
    [row({ email: 'a@b' }), ['第2行，email：“a@b”不是电子邮件地址']],
  ])('%j → %j', (account, messages) => {
    expect(accountProblems(account).map((problem) => problem.message)).toEqual(messages);
  });
});

describe('a batch against what exists', () => {
  const existing = {
    units: ['区人社局', '峡窝镇'],
    usernames: ['Taken'],
    emails: ['taken@example.gov.cn'],
    adminEmails: ['editor@example.gov.cn'],
  };
  test.each([
    [[row()], []],
    [[row({ unit: '区财政局' })], ['第2行，unit：没有单位“区财政局”（单位名用简称，如 区人社局）']],
    [[row({ username: 'taken' })], ['第2行，username：已有账号 taken']],
    [[row({ email: 'TAKEN@example.gov.cn' })], ['第2行，email：已有账号使用 TAKEN@example.gov.cn']],
    [
      [row(), row({ line: 5, email: 'other@example.gov.cn', username: 'WangFang' })],
      ['第5行，username：“WangFang”与第2行重复'],
    ],
    [
      [row({ role: 'editor', unit: null, username: '', email: 'editor@example.gov.cn' })],
      ['第2行，email：后台已有用户 editor@example.gov.cn'],
    ],
    // An editor and a reader may share an address: they are different logins.
    [[row({ role: 'editor', unit: null, username: '' }), row({ line: 3, role: 'reader' })], []],
  ])('%j → %j', (rows, messages) => {
    expect(checkAccounts(rows, existing).map((problem) => problem.message)).toEqual(messages);
  });
});

describe('passwords', () => {
  test('generated passwords follow the rules, from any random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.integer({ min: 0, max: 1000 }), (seed, shift) => {
        let counter = shift;
        // A deterministic stream of bytes from the seed (any stream must do).
        const bytes = (size: number) =>
          Uint8Array.from({ length: size }, () => seed[(counter += 1) % seed.length] ^ (counter & 0xff));
        expect(isGeneratedPassword(generatePassword(bytes))).toBe(true);
      }),
    );
  });

  test('the real random source gives different passwords, each character from the unambiguous alphabet', () => {
    const passwords = new Set(Array.from({ length: 200 }, () => generatePassword(randomBytes)));
    expect(passwords.size).toBe(200);
    for (const password of passwords)
      expect(Array.from(password).filter((char) => !PASSWORD_ALPHABET.includes(char))).toEqual([]);
    expect(PASSWORD_ALPHABET).not.toMatch(/[0Oo1lI]/);
  });

  test.each([
    ['abcdefghijkmnpq2', false],
    ['Abcdefghijkmnpq2', true],
    ['Abcdefghijkmnpq0', false],
    ['Abcdefghijkmnp2', false],
  ])('%s follows the rules: %s', (password, ok) => {
    expect(isGeneratedPassword(password)).toBe(ok);
  });
});

describe('demo accounts', () => {
  test.each([
    [undefined, true, true],
    ['development', true, true],
    ['production', true, false],
    ['test', true, false],
    ['development', false, false],
  ])('NODE_ENV=%s, loading demo content %s → created %s', (nodeEnv, loading, created) => {
    expect(createsDemoAccounts(nodeEnv, loading)).toBe(created);
  });

  test('one per role (editor, signer, contributor of 区人社局, reader of 峡窝镇), each valid', () => {
    expect(DEMO_ACCOUNTS.map((account) => [account.role, account.unit])).toEqual([
      [null, null],
      ['editor', null],
      ['signer', null],
      ['contributor', '区人社局'],
      ['reader', '峡窝镇'],
    ]);
    for (const account of DEMO_ACCOUNTS) {
      if (account.role === null) continue;
      expect(
        accountProblems({
          line: 0,
          username: account.username,
          email: account.email,
          unit: account.unit,
          role: account.role,
          name: null,
        }),
      ).toEqual([]);
    }
  });
});
