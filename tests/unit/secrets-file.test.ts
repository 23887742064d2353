import fs from 'fs';
import os from 'os';
import path from 'path';
import { randomBytes } from 'crypto';
import { loadSecrets } from '../../src/strapi/secrets-file';
import {
  MissingSecretError,
  newSecret,
  SECRET_NAMES,
  SecretsFileError,
  type SecretName,
} from '../../src/domain/secrets';

/** The secrets file on a real file system, in a folder of its own per test. */

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-secrets-unit-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const mode = (file: string) => fs.statSync(file).mode & 0o777;
const stored = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
const envFor = (file: string) => ({ BULLETIN_SECRETS_FILE: file });

test('the first load generates every secret into a 0600 file in a new 0700 folder; the next load reads the same', () => {
  const file = path.join(root, 'private', 'nested', 'secrets.json');
  const first = loadSecrets({ env: envFor(file) });
  expect(mode(file)).toBe(0o600);
  expect(mode(path.dirname(file))).toBe(0o700);
  expect(mode(path.join(root, 'private'))).toBe(0o700);
  const text = fs.readFileSync(file, 'utf8');
  for (const name of SECRET_NAMES) expect(stored(file)[name]).toBe(first[name]);

  const second = loadSecrets({ env: envFor(file) });
  expect(second).toEqual(first);
  expect(fs.readFileSync(file, 'utf8')).toBe(text);
  // Nothing left behind: no lock, no temporary file.
  expect(fs.readdirSync(path.dirname(file))).toEqual(['secrets.json']);
});

test('the default place is .tmp/secrets.json under the working directory', () => {
  const secrets = loadSecrets({ env: {}, cwd: root });
  expect(stored(path.join(root, '.tmp', 'secrets.json')).JWT_SECRET).toBe(secrets.JWT_SECRET);
});

test('two loads on two empty folders make different secrets', () => {
  const a = loadSecrets({ env: envFor(path.join(root, 'a', 'secrets.json')) });
  const b = loadSecrets({ env: envFor(path.join(root, 'b', 'secrets.json')) });
  for (const name of SECRET_NAMES) expect(a[name]).not.toBe(b[name]);
});

test('every secret from the environment: the file is neither read nor created', () => {
  const file = path.join(root, 'secrets.json');
  const env: Record<string, string> = { ...envFor(file) };
  for (const name of SECRET_NAMES) env[name] = newSecret(name, randomBytes);
  expect(loadSecrets({ env })).toEqual(Object.fromEntries(SECRET_NAMES.map((name) => [name, env[name]])));
  expect(fs.existsSync(file)).toBe(false);
  // Not even read: a broken file changes nothing.
  fs.writeFileSync(file, '{', { mode: 0o600 });
  expect(loadSecrets({ env }).JWT_SECRET).toBe(env.JWT_SECRET);
});

test('production never creates the file', () => {
  const file = path.join(root, 'secrets.json');
  expect(() => loadSecrets({ env: { ...envFor(file), NODE_ENV: 'production' } })).toThrow(MissingSecretError);
  expect(fs.existsSync(file)).toBe(false);
});

test('an entry deleted from the file is generated again; the others stay', () => {
  const file = path.join(root, 'secrets.json');
  const before = loadSecrets({ env: envFor(file) });
  const content = stored(file);
  delete content.ADMIN_JWT_SECRET;
  fs.writeFileSync(file, JSON.stringify(content), { mode: 0o600 });
  const after = loadSecrets({ env: envFor(file) });
  expect(after.ADMIN_JWT_SECRET).not.toBe(before.ADMIN_JWT_SECRET);
  expect(stored(file).ADMIN_JWT_SECRET).toBe(after.ADMIN_JWT_SECRET);
  for (const name of SECRET_NAMES.filter((other): other is SecretName => other !== 'ADMIN_JWT_SECRET'))
    expect(after[name]).toBe(before[name]);
  expect(mode(file)).toBe(0o600);
});

test('a broken file is an error naming it, and is left exactly as it was', () => {
  const file = path.join(root, 'secrets.json');
  fs.writeFileSync(file, '{"JWT_SECRET": "abc",', { mode: 0o600 });
  expect(() => loadSecrets({ env: envFor(file) })).toThrow(SecretsFileError);
  expect(() => loadSecrets({ env: envFor(file) })).toThrow(`The secrets file ${file} is not valid JSON`);
  expect(fs.readFileSync(file, 'utf8')).toBe('{"JWT_SECRET": "abc",');
  expect(fs.readdirSync(root)).toEqual(['secrets.json']);
});

test('a file other users could read is made private', () => {
  const file = path.join(root, 'secrets.json');
  const secrets = loadSecrets({ env: envFor(file) });
  fs.chmodSync(file, 0o644);
  expect(loadSecrets({ env: envFor(file) })).toEqual(secrets);
  expect(mode(file)).toBe(0o600);
});

test('a lock another process never releases: an error naming the lock file, nothing written', () => {
  const file = path.join(root, 'secrets.json');
  fs.writeFileSync(`${file}.lock`, '12345\n');
  const started = Date.now();
  expect(() => loadSecrets({ env: envFor(file), lockTimeoutMs: 300 })).toThrow(
    `The secrets file ${file} has been locked by another process for more than 300 ms (${file}.lock exists). If no other instance of this app is starting, a start was stopped while writing it: delete ${file}.lock and start again.`,
  );
  expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  expect(fs.existsSync(file)).toBe(false);
  expect(fs.existsSync(`${file}.lock`)).toBe(true);
});

test('a file written by another process while this one waited for the lock is used, not overwritten', () => {
  const file = path.join(root, 'secrets.json');
  const theirs = loadSecrets({ env: envFor(path.join(root, 'theirs.json')) });
  const theirText = fs.readFileSync(path.join(root, 'theirs.json'), 'utf8');
  // This process finds no file, then waits for the lock; the holder writes its file and releases the lock.
  fs.writeFileSync(`${file}.lock`, '12345\n');
  const writeFileSync = fs.writeFileSync.bind(fs);
  let attempts = 0;
  const spy = jest.spyOn(fs, 'writeFileSync').mockImplementation((target, data, options) => {
    if (target === `${file}.lock`) {
      attempts += 1;
      if (attempts === 3) {
        // the other process finishes: its file in place, its lock gone
        fs.renameSync(path.join(root, 'theirs.json'), file);
        fs.rmSync(`${file}.lock`);
      }
    }
    writeFileSync(target, data, options);
  });
  try {
    expect(loadSecrets({ env: envFor(file) })).toEqual(theirs);
  } finally {
    spy.mockRestore();
  }
  expect(attempts).toBe(3);
  expect(fs.readFileSync(file, 'utf8')).toBe(theirText);
  expect(fs.existsSync(`${file}.lock`)).toBe(false);
});
