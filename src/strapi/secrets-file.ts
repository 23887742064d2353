import fs from 'fs';
import path from 'path';
import { randomBytes } from 'crypto';
import {
  decideSecrets,
  newSecret,
  secretsFilePath,
  secretsFromEnvironment,
  SecretsFileError,
  splitKeys,
  type Environment,
  type SecretName,
  type Secrets,
  type SecretsFileState,
} from '../domain/secrets';

/**
 * The secrets file, read and written (the rule itself is in src/domain/secrets.ts). The file has mode 0600 in a folder created
 * with mode 0700. Writes hold a lock file created exclusively (`wx`) and replace the file atomically (a temporary
 * file renamed over it); the file is read again once the lock is held, so processes starting at the same moment end
 * with one set of secrets: the first writes it, the others read it.
 */

export type LoadSecretsOptions = {
  env?: Environment;
  cwd?: string;
  /** How long to wait for another process's lock before giving up with an error naming the lock file. */
  lockTimeoutMs?: number;
};

const LOCK_TIMEOUT_MS = 15000;
const LOCK_POLL_MS = 20;

export function loadSecrets(options: LoadSecretsOptions = {}): Secrets {
  const env = options.env ?? process.env;
  const fromEnvironment = secretsFromEnvironment(env);
  if (fromEnvironment.missing.length === 0)
    return decideSecrets(fromEnvironment, { kind: 'absent' }, '', generate).secrets;

  const file = secretsFilePath(env, options.cwd ?? process.cwd());
  const first = decideSecrets(fromEnvironment, readSecretsFile(file), file, generate);
  if (first.fileText === null) return first.secrets;

  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  return withLock(file, options.lockTimeoutMs ?? LOCK_TIMEOUT_MS, () => {
    // Another process may have written the file since it was read: decide again on what it holds now.
    const decision = decideSecrets(fromEnvironment, readSecretsFile(file), file, generate);
    if (decision.fileText !== null) writeAtomically(file, decision.fileText);
    return decision.secrets;
  });
}

/** One secret for a config file (config/*.ts). */
export function secret(name: SecretName): string {
  return loadSecrets()[name];
}

/** A comma-separated secret (APP_KEYS) as its list of keys. */
export function secretList(name: SecretName): string[] {
  return splitKeys(secret(name));
}

function generate(name: SecretName): string {
  return newSecret(name, randomBytes);
}

const errorCode = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;

/** The file's text, or absent; a file other users may read is made private first (0600). */
export function readSecretsFile(file: string): SecretsFileState {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'absent' };
    throw new SecretsFileError(file, `cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  const mode = fs.statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    try {
      fs.chmodSync(file, 0o600);
    } catch (error) {
      throw new SecretsFileError(
        file,
        `may be read by other users (mode ${mode.toString(8)}) and could not be made private (${error instanceof Error ? error.message : String(error)}); run chmod 600 on it`,
      );
    }
  }
  return { kind: 'present', text };
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs `work` holding `<file>.lock`, created exclusively; waits for another holder up to `timeoutMs`. */
function withLock<T>(file: string, timeoutMs: number, work: () => T): T {
  const lock = `${file}.lock`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.writeFileSync(lock, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') {
        throw new SecretsFileError(
          file,
          `cannot be locked for writing (${error instanceof Error ? error.message : String(error)})`,
        );
      }
      if (Date.now() >= deadline) {
        throw new Error(
          `The secrets file ${file} has been locked by another process for more than ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`} (${lock} exists). ` +
            `If no other instance of this app is starting, a start was stopped while writing it: delete ${lock} and start again.`,
          { cause: error },
        );
      }
      sleep(LOCK_POLL_MS);
    }
  }
  try {
    return work();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/** Writes the whole file under a temporary name (0600, flushed) and renames it into place. */
function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const descriptor = fs.openSync(temporary, 'wx', 0o600);
    try {
      fs.writeSync(descriptor, text);
      fs.fsyncSync(descriptor);
    } finally {
      fs.closeSync(descriptor);
    }
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw new SecretsFileError(file, `cannot be written (${error instanceof Error ? error.message : String(error)})`);
  }
  // The rename itself survives a power cut only once the folder is flushed (best effort: not every system allows it).
  try {
    const folder = fs.openSync(path.dirname(file), 'r');
    try {
      fs.fsyncSync(folder);
    } finally {
      fs.closeSync(folder);
    }
  } catch {
    // ignored: the file is written; only its durability across a power cut is less certain
  }
}
