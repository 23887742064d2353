import path from 'path';
import { randomBytes } from 'crypto';
import {
  decideSecrets,
  formatSecretsFile,
  isPublishedSecret,
  MissingSecretError,
  newSecret,
  parseSecretsFile,
  PublishedSecretError,
  SECRET_NAMES,
  secretsFilePath,
  SecretsFileError,
  secretsFromEnvironment,
  type Environment,
  type SecretName,
  type Secrets,
  type SecretsFileState,
} from '../../src/domain/secrets';

const FILE = '/srv/bulletin/.tmp/secrets.json';

/** Random values made for this run: nothing here is a value a process could know in advance. */
const fresh = (): Record<SecretName, string> => {
  const values = {} as Record<SecretName, string>;
  for (const name of SECRET_NAMES) values[name] = newSecret(name, randomBytes);
  return values;
};
const ENV = fresh();
const STORED = fresh();

/** A generator that says which secret it made, so that a test sees where each value came from. */
const generated = (name: SecretName) => `generated-${name}`;

const present = (
  values: Partial<Record<SecretName, string>>,
  others: Record<string, unknown> = {},
): SecretsFileState => ({
  kind: 'present',
  text: formatSecretsFile(values, others),
});
const absent: SecretsFileState = { kind: 'absent' };

function decide(env: Environment, file: SecretsFileState) {
  return decideSecrets(secretsFromEnvironment(env), file, FILE, generated);
}

const only = (names: readonly SecretName[], from: Record<SecretName, string>) =>
  Object.fromEntries(names.map((name) => [name, from[name]])) as Partial<Record<SecretName, string>>;
const without = (name: SecretName, from: Record<SecretName, string>) =>
  only(
    SECRET_NAMES.filter((other) => other !== name),
    from,
  );

describe('where each secret comes from, outside production', () => {
  type Row = {
    case: string;
    env: Environment;
    file: SecretsFileState;
    expected: Secrets;
    generated: SecretName[];
    /** The secrets the file holds afterwards (null: the file is not written). */
    written: Partial<Record<SecretName, string>> | null;
  };
  const allGenerated = Object.fromEntries(SECRET_NAMES.map((name) => [name, generated(name)])) as Secrets;
  const rows: Row[] = [
    { case: 'env gives every secret, no file', env: ENV, file: absent, expected: ENV, generated: [], written: null },
    {
      case: 'env gives every secret, file present: env wins, file untouched',
      env: ENV,
      file: present(STORED),
      expected: ENV,
      generated: [],
      written: null,
    },
    {
      case: 'neither: every secret generated and written',
      env: {},
      file: absent,
      expected: allGenerated,
      generated: [...SECRET_NAMES],
      written: allGenerated,
    },
    {
      case: 'NODE_ENV=development, neither',
      env: { NODE_ENV: 'development' },
      file: absent,
      expected: allGenerated,
      generated: [...SECRET_NAMES],
      written: allGenerated,
    },
    {
      case: 'NODE_ENV=test, blank values count as unset',
      env: { NODE_ENV: 'test', JWT_SECRET: '  ', APP_KEYS: ' , ' },
      file: absent,
      expected: allGenerated,
      generated: [...SECRET_NAMES],
      written: allGenerated,
    },
    {
      case: 'file holds every secret: used, not rewritten',
      env: {},
      file: present(STORED),
      expected: STORED,
      generated: [],
      written: null,
    },
    {
      case: 'env gives one, file holds the rest: env wins for that one',
      env: { JWT_SECRET: ENV.JWT_SECRET },
      file: present(STORED),
      expected: { ...STORED, JWT_SECRET: ENV.JWT_SECRET },
      generated: [],
      written: null,
    },
    {
      case: 'env gives one, no file: the others generated, the env value not written',
      env: { JWT_SECRET: ` ${ENV.JWT_SECRET} ` },
      file: absent,
      expected: { ...allGenerated, JWT_SECRET: ENV.JWT_SECRET },
      generated: SECRET_NAMES.filter((name) => name !== 'JWT_SECRET'),
      written: without('JWT_SECRET', allGenerated),
    },
    {
      case: 'an entry deleted from the file (rotation): only that one generated, the others kept',
      env: {},
      file: present(without('JWT_SECRET', STORED)),
      expected: { ...STORED, JWT_SECRET: generated('JWT_SECRET') },
      generated: ['JWT_SECRET'],
      written: { ...STORED, JWT_SECRET: generated('JWT_SECRET') },
    },
    {
      case: 'an entry missing from the file but given by env: nothing generated',
      env: { ENCRYPTION_KEY: ENV.ENCRYPTION_KEY },
      file: present(without('ENCRYPTION_KEY', STORED)),
      expected: { ...STORED, ENCRYPTION_KEY: ENV.ENCRYPTION_KEY },
      generated: [],
      written: null,
    },
  ];

  test.each(rows)('$case', (row) => {
    const decision = decide(row.env, row.file);
    expect(decision.secrets).toEqual(row.expected);
    expect(decision.generated).toEqual(row.generated);
    if (row.written === null) {
      expect(decision.fileText).toBeNull();
    } else {
      expect(decision.fileText).not.toBeNull();
      expect(parseSecretsFile(decision.fileText ?? '', FILE).values).toEqual(row.written);
    }
  });

  test('a rewritten file keeps what else it held (the note, an operator’s entry)', () => {
    const decision = decide({}, present(without('APP_KEYS', STORED), { rotated: '2024-05-01' }));
    const written = JSON.parse(decision.fileText ?? '{}') as Record<string, unknown>;
    expect(written.rotated).toBe('2024-05-01');
    expect(Object.keys(written)[0]).toBe('//');
    expect(written['//']).toMatch(/back it up with the database/);
  });
});

describe('production', () => {
  test('every secret in the environment: used, the file never consulted', () => {
    const fromEnvironment = secretsFromEnvironment({ ...ENV, NODE_ENV: 'production' });
    expect(fromEnvironment.missing).toEqual([]);
    const decision = decideSecrets(fromEnvironment, { kind: 'present', text: 'not even JSON' }, FILE, generated);
    expect(decision).toEqual({ secrets: ENV, generated: [], fileText: null });
  });

  test.each(SECRET_NAMES.map((name) => [name]))(
    'refuses a missing %s and names it, whatever the file holds',
    (name) => {
      const env = { ...without(name, ENV), NODE_ENV: 'production' };
      expect(() => secretsFromEnvironment(env)).toThrow(MissingSecretError);
      expect(() => secretsFromEnvironment(env)).toThrow(
        new RegExp(`^${name} is not set\\. Production needs its own secret`),
      );
      expect(() => secretsFromEnvironment({ ...env, [name]: '   ' })).toThrow(new RegExp(`^${name} is not set`));
    },
  );

  test('names the first missing secret when several are', () => {
    expect(() => secretsFromEnvironment({ NODE_ENV: 'production', APP_KEYS: ENV.APP_KEYS })).toThrow(
      /^API_TOKEN_SALT is not set/,
    );
  });
});

describe('values published in the repository are refused everywhere', () => {
  // The former development default of JWT_SECRET and a key of the former default APP_KEYS (committed until this
  // change), a benchmark's and the production test's former fixed values.
  const published = [
    'dev-users-permissions-jwt-secret-change-me',
    'dev-app-key-2-change-me',
    'bench-jwt',
    'prod-encryption',
  ];

  test.each(published)('%s', (value) => {
    expect(isPublishedSecret(value)).toBe(true);
    expect(isPublishedSecret(` ${value} `)).toBe(true);
    expect(isPublishedSecret(`${ENV.JWT_SECRET},${value}`)).toBe(true);
    expect(() => secretsFromEnvironment({ ...ENV, JWT_SECRET: value, NODE_ENV: 'production' })).toThrow(
      PublishedSecretError,
    );
    expect(() => secretsFromEnvironment({ JWT_SECRET: value })).toThrow(
      /^JWT_SECRET is set to a value published in this repository.*or unset it/,
    );
    expect(() => parseSecretsFile(formatSecretsFile({ ...STORED, ENCRYPTION_KEY: value }), FILE)).toThrow(
      /secrets\.json has an entry ENCRYPTION_KEY whose value is published/,
    );
  });

  test('a value of its own is not', () => {
    for (const name of SECRET_NAMES) expect(isPublishedSecret(ENV[name])).toBe(false);
    expect(isPublishedSecret('dev-users-permissions-jwt-secret-change-me-2')).toBe(false);
  });
});

describe('a secrets file that cannot be used is an error naming the file and the fix, never a regeneration', () => {
  const rows: [string, string, RegExp][] = [
    ['empty', '', /is empty/],
    ['cut short', '{"APP_KEYS": "a,b", "JWT_SE', /is not valid JSON/],
    ['an array', '["a"]', /is not a JSON object of secrets/],
    ['null', 'null', /is not a JSON object of secrets/],
    ['a number for a secret', '{"JWT_SECRET": 42}', /has an entry JWT_SECRET that is not a non-empty string/],
    ['an empty secret', '{"ADMIN_JWT_SECRET": " "}', /has an entry ADMIN_JWT_SECRET that is not a non-empty string/],
    ['APP_KEYS with an empty key', '{"APP_KEYS": "a,,b"}', /has an entry APP_KEYS with an empty key/],
  ];
  test.each(rows)('%s', (_case, text, problem) => {
    const attempt = () => decide({}, { kind: 'present', text });
    expect(attempt).toThrow(SecretsFileError);
    expect(attempt).toThrow(problem);
    expect(attempt).toThrow(`The secrets file ${FILE} `);
    expect(attempt).toThrow(/restore it from the backup taken with the database/);
    expect(attempt).toThrow(/delete\s+the broken entry, or the whole file/);
  });

  test('a broken file is an error even when only one secret is wanted from it', () => {
    expect(() => decide(without('JWT_SECRET', ENV), { kind: 'present', text: '{' })).toThrow(SecretsFileError);
  });
});

describe('generated secrets', () => {
  test('base64 of 32 random bytes; APP_KEYS two distinct such keys', () => {
    for (const name of SECRET_NAMES) {
      const value = newSecret(name, randomBytes);
      const keys = name === 'APP_KEYS' ? value.split(',') : [value];
      expect(keys).toHaveLength(name === 'APP_KEYS' ? 2 : 1);
      for (const key of keys) {
        expect(key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
        expect(Buffer.from(key, 'base64')).toHaveLength(32);
      }
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  test('made from the random source it is given', () => {
    const zeros = (size: number) => new Uint8Array(size);
    expect(newSecret('JWT_SECRET', zeros)).toBe(Buffer.alloc(32).toString('base64'));
  });
});

describe('where the file is', () => {
  test.each([
    [{}, '/srv/app', '/srv/app/.tmp/secrets.json'],
    [{ BULLETIN_SECRETS_FILE: '' }, '/srv/app', '/srv/app/.tmp/secrets.json'],
    [{ BULLETIN_SECRETS_FILE: '/etc/bulletin/secrets.json' }, '/srv/app', '/etc/bulletin/secrets.json'],
    [{ BULLETIN_SECRETS_FILE: 'private/s.json' }, '/srv/app', '/srv/app/private/s.json'],
  ] as [Environment, string, string][])('%j from %s: %s', (env, cwd, expected) => {
    expect(secretsFilePath(env, cwd)).toBe(expected);
  });

  test.each([
    'public/secrets.json',
    './public/x/secrets.json',
    '/srv/app/dist/build/secrets.json',
    'build/s.json',
    'public',
  ])('never inside a served folder: %s', (given) => {
    expect(() => secretsFilePath({ BULLETIN_SECRETS_FILE: given }, '/srv/app')).toThrow(
      new RegExp(
        `^BULLETIN_SECRETS_FILE=${given.replace(/[./]/g, '\\$&')} is inside (public|dist/build|build)/, which the app serves to anyone`,
      ),
    );
  });

  test.each(['publicity/secrets.json', 'dist/secrets.json', '../public/secrets.json'])(
    'a name that only looks alike is fine: %s',
    (given) => {
      expect(secretsFilePath({ BULLETIN_SECRETS_FILE: given }, '/srv/app')).toBe(path.resolve('/srv/app', given));
    },
  );
});
