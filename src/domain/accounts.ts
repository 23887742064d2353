/**
 * Accounts an office hands out from the command line (`npm run users`), and the demo's accounts.
 *
 * - **Roles.** Readers (阅读人) and contributors (信息员) are users-permissions accounts that log in at
 *   `POST /api/auth/local` and the readers' front end; each belongs to one unit (a contributor must, a reader may).
 *   Editors (编辑) and signers (签发人) work in the admin: they are admin users, who log in with their e-mail address.
 *   Each role may be written in English or as the admin names it.
 * - **A CSV of accounts** (40+ at once): UTF-8 (a byte-order mark is ignored), comma-separated, RFC 4180 quoting, a
 *   header row naming the columns in any order — `username`, `email`, `unit`, `role` (or 用户名, 邮箱, 单位, 角色) and
 *   optionally `name` (姓名). Blank lines are skipped. Every problem is reported at once, each naming the file's line
 *   and the column; a file with any problem creates nobody.
 * - **Passwords** are generated, never chosen: 16 characters from letters and digits that cannot be misread on paper
 *   (no 0 O o 1 l I), at least one lower-case letter, one capital and one digit (so Strapi's admin accepts them),
 *   drawn without modulo bias from the random bytes passed in. They are printed once and stored only as hashes.
 */

export type AccountRole = 'contributor' | 'reader' | 'editor' | 'signer';

export type AccountKind = 'users-permissions' | 'admin';

export type AccountRow = {
  /** Line of the CSV file (1 is the header), or 0 for one account from the command line. */
  line: number;
  username: string;
  email: string;
  unit: string | null;
  role: AccountRole;
  name: string | null;
};

export type AccountViolation = { line: number; field: string; message: string };

export const ROLE_NAMES: Record<AccountRole, string> = {
  contributor: '信息员',
  reader: '阅读人',
  editor: '编辑',
  signer: '签发人',
};

/** Where each role's account lives: readers and contributors in users-permissions, editors and signers in the admin. */
export function accountKind(role: AccountRole): AccountKind {
  return role === 'editor' || role === 'signer' ? 'admin' : 'users-permissions';
}

/** The role a word names (contributor / 信息员, reader / 阅读人, editor / 编辑, signer / 签发人), or null. */
export function parseRole(text: string): AccountRole | null {
  const word = text.trim().toLowerCase();
  for (const [role, name] of Object.entries(ROLE_NAMES) as [AccountRole, string][]) {
    if (word === role || word === name) return role;
  }
  return null;
}

const HEADERS: Readonly<Partial<Record<string, keyof Omit<AccountRow, 'line'>>>> = {
  username: 'username',
  用户名: 'username',
  email: 'email',
  邮箱: 'email',
  电子邮件: 'email',
  unit: 'unit',
  单位: 'unit',
  role: 'role',
  角色: 'role',
  name: 'name',
  姓名: 'name',
};
const REQUIRED_COLUMNS = ['username', 'email', 'role'] as const;

/** The records of a CSV text (RFC 4180: quoted fields may hold commas, quotes as "", and line breaks), with their line. */
export function csvRecords(text: string): { line: number; fields: string[] }[] | AccountViolation {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i];
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line += 1;
        field += char;
      }
    } else if (char === '"' && field === '') {
      quoted = true;
      quoteLine = line;
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i += 1;
      fields.push(field);
      records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      line += 1;
      recordLine = line;
    } else field += char;
  }
  if (quoted) return { line: quoteLine, field: '', message: `第${quoteLine}行：引号没有闭合` };
  fields.push(field);
  records.push({ line: recordLine, fields });
  return records.filter((record) => record.fields.some((value) => value.trim() !== ''));
}

/**
 * The accounts of a CSV file, or every problem with it: an unknown or missing column, a missing or malformed value,
 * an unknown role. (Whether the units exist and the names are free is checked by {@link checkAccounts}.)
 */
export function parseAccountsCsv(text: string): { rows: AccountRow[]; violations: AccountViolation[] } {
  const records = csvRecords(text);
  if (!Array.isArray(records)) return { rows: [], violations: [records] };
  if (records.length === 0)
    return {
      rows: [],
      violations: [{ line: 1, field: '', message: '文件是空的：第一行应是列名 username,email,unit,role' }],
    };
  const [header, ...body] = records;
  const violations: AccountViolation[] = [];
  const columns: (keyof Omit<AccountRow, 'line'> | null)[] = header.fields.map((value) => {
    const column = HEADERS[value.trim().toLowerCase()] ?? null;
    if (column === null)
      violations.push({
        line: header.line,
        field: value.trim(),
        message: `第${header.line}行：不认识的列“${value.trim()}”（可用 username、email、unit、role、name）`,
      });
    return column;
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!columns.includes(required))
      violations.push({ line: header.line, field: required, message: `第${header.line}行：缺少列 ${required}` });
  }
  if (violations.length > 0) return { rows: [], violations };

  const rows: AccountRow[] = [];
  for (const record of body) {
    const values: Partial<Record<keyof Omit<AccountRow, 'line'>, string>> = {};
    if (record.fields.length !== columns.length) {
      violations.push({
        line: record.line,
        field: '',
        message: `第${record.line}行：有 ${record.fields.length} 列，列名行有 ${columns.length} 列`,
      });
      continue;
    }
    columns.forEach((column, index) => {
      if (column !== null) values[column] = record.fields[index].trim();
    });
    const role = parseRole(values.role ?? '');
    const row = {
      line: record.line,
      username: values.username ?? '',
      email: values.email ?? '',
      unit: values.unit === undefined || values.unit === '' ? null : values.unit,
      role: role ?? 'reader',
      name: values.name === undefined || values.name === '' ? null : values.name,
    };
    const problems = accountProblems(row);
    if (role === null)
      problems.unshift({
        line: record.line,
        field: 'role',
        message: `第${record.line}行，role：“${values.role ?? ''}”不是角色（contributor 信息员、reader 阅读人、editor 编辑、signer 签发人）`,
      });
    if (problems.length > 0) violations.push(...problems);
    else rows.push(row);
  }
  return { rows, violations };
}

const USERNAME = /^[\p{L}\p{N}._-]{3,50}$/u;
const EMAIL = /^[^\s@,;"<>]+@[^\s@,;"<>]+\.[^\s@,;"<>]+$/;

const where = (row: Pick<AccountRow, 'line'>, field: string): string =>
  row.line === 0 ? field : `第${row.line}行，${field}`;

/** What is wrong with one account on its own: username, e-mail, and the unit its role needs. */
export function accountProblems(row: AccountRow): AccountViolation[] {
  const problems: AccountViolation[] = [];
  const add = (field: string, message: string) =>
    problems.push({ line: row.line, field, message: `${where(row, field)}：${message}` });
  if (accountKind(row.role) === 'users-permissions') {
    if (row.username === '') add('username', '不能为空');
    else if (!USERNAME.test(row.username))
      add('username', `“${row.username}”须为 3 到 50 个字母、数字、汉字或 . _ -，不含空格`);
  }
  if (row.email === '') add('email', '不能为空');
  else if (!EMAIL.test(row.email) || row.email.length > 254) add('email', `“${row.email}”不是电子邮件地址`);
  if (row.role === 'contributor' && row.unit === null) add('unit', '信息员须属于一个单位');
  if (accountKind(row.role) === 'admin' && row.unit !== null)
    add('unit', `${ROLE_NAMES[row.role]}在后台工作，不属于单位（去掉 unit）`);
  return problems;
}

export type ExistingAccounts = {
  /** Short names of the units that exist (区人社局). */
  units: readonly string[];
  /** Usernames and e-mail addresses already taken, lower-cased (users-permissions accounts and admin users apart). */
  usernames: readonly string[];
  emails: readonly string[];
  adminEmails: readonly string[];
};

/**
 * The problems of a whole batch against what exists: a unit that is not there, a username or e-mail already taken,
 * or given twice in the batch (both lines named).
 */
export function checkAccounts(rows: readonly AccountRow[], existing: ExistingAccounts): AccountViolation[] {
  const problems: AccountViolation[] = [];
  const units = new Set(existing.units);
  const taken = {
    username: new Set(existing.usernames.map((name) => name.toLowerCase())),
    email: new Set(existing.emails.map((email) => email.toLowerCase())),
    adminEmail: new Set(existing.adminEmails.map((email) => email.toLowerCase())),
  };
  const seen = new Map<string, number>();
  const once = (row: AccountRow, field: string, key: string, value: string) => {
    const first = seen.get(key);
    if (first === undefined) seen.set(key, row.line);
    else problems.push({ line: row.line, field, message: `${where(row, field)}：“${value}”与第${first}行重复` });
  };
  for (const row of rows) {
    const admin = accountKind(row.role) === 'admin';
    if (row.unit !== null && !units.has(row.unit)) {
      problems.push({
        line: row.line,
        field: 'unit',
        message: `${where(row, 'unit')}：没有单位“${row.unit}”（单位名用简称，如 区人社局）`,
      });
    }
    if (admin) {
      if (taken.adminEmail.has(row.email.toLowerCase()))
        problems.push({ line: row.line, field: 'email', message: `${where(row, 'email')}：后台已有用户 ${row.email}` });
      once(row, 'email', `admin-email:${row.email.toLowerCase()}`, row.email);
    } else {
      if (taken.username.has(row.username.toLowerCase()))
        problems.push({
          line: row.line,
          field: 'username',
          message: `${where(row, 'username')}：已有账号 ${row.username}`,
        });
      if (taken.email.has(row.email.toLowerCase()))
        problems.push({ line: row.line, field: 'email', message: `${where(row, 'email')}：已有账号使用 ${row.email}` });
      once(row, 'username', `username:${row.username.toLowerCase()}`, row.username);
      once(row, 'email', `email:${row.email.toLowerCase()}`, row.email);
    }
  }
  return problems;
}

/** Letters and digits that cannot be misread on paper (no 0 O o 1 l I). */
export const PASSWORD_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const PASSWORD_LENGTH = 16;

/** Whether a password follows the rules above (length, alphabet, a lower-case letter, a capital, a digit). */
export function isGeneratedPassword(password: string): boolean {
  return (
    password.length === PASSWORD_LENGTH &&
    [...password].every((char) => PASSWORD_ALPHABET.includes(char)) &&
    /[a-z]/.test(password) &&
    /[A-Z]/.test(password) &&
    /[0-9]/.test(password)
  );
}

/**
 * A new password from the random bytes given (`crypto.randomBytes` in the app): bytes at or above the largest multiple
 * of the alphabet's size are dropped, so every character is equally likely; a draw that misses a class is drawn again.
 */
export function generatePassword(randomBytes: (size: number) => Uint8Array): string {
  const size = PASSWORD_ALPHABET.length;
  const limit = 256 - (256 % size);
  for (;;) {
    let password = '';
    while (password.length < PASSWORD_LENGTH) {
      for (const byte of randomBytes(PASSWORD_LENGTH * 2)) {
        if (byte < limit && password.length < PASSWORD_LENGTH) password += PASSWORD_ALPHABET[byte % size];
      }
    }
    if (isGeneratedPassword(password)) return password;
  }
}

/** The demo's accounts: one per role, plus the demo's super administrator (so the admin's settings can be tried). */
export type DemoAccount = {
  label: string;
  kind: AccountKind | 'super-admin';
  role: AccountRole | null;
  username: string;
  email: string;
  unit: string | null;
  firstname: string;
  lastname: string;
};

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    label: '超级管理员',
    kind: 'super-admin',
    role: null,
    username: '',
    email: 'demo-admin@example.gov.cn',
    unit: null,
    firstname: '管理员',
    lastname: '演示',
  },
  {
    label: '编辑',
    kind: 'admin',
    role: 'editor',
    username: '',
    email: 'demo-editor@example.gov.cn',
    unit: null,
    firstname: '编辑',
    lastname: '演示',
  },
  {
    label: '签发人',
    kind: 'admin',
    role: 'signer',
    username: '',
    email: 'demo-signer@example.gov.cn',
    unit: null,
    firstname: '签发人',
    lastname: '演示',
  },
  {
    label: '信息员（区人社局）',
    kind: 'users-permissions',
    role: 'contributor',
    username: 'demo-contributor',
    email: 'demo-contributor@example.gov.cn',
    unit: '区人社局',
    firstname: '',
    lastname: '',
  },
  {
    label: '阅读人（峡窝镇）',
    kind: 'users-permissions',
    role: 'reader',
    username: 'demo-reader',
    email: 'demo-reader@example.gov.cn',
    unit: '峡窝镇',
    firstname: '',
    lastname: '',
  },
];

/**
 * Whether a start creates the demo accounts: only while it loads the demo content (the first start on an empty
 * database, demo content on) and only in development (NODE_ENV unset or `development`) — never in production, and not
 * under the test runner (`test`), whose files make their own people.
 */
export function createsDemoAccounts(nodeEnv: string | undefined, loadingDemoContent: boolean): boolean {
  return loadingDemoContent && (nodeEnv === undefined || nodeEnv === '' || nodeEnv === 'development');
}
