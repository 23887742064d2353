import { AsyncLocalStorage } from 'node:async_hooks';
import type { Core } from '@strapi/strapi';

/**
 * Strapi's entity validation always ends. Strapi 5.54 checks a write with yup 0.32, whose asynchronous tests drop a
 * rejected promise (`Promise.resolve(test()).then(...)`, no rejection handler): when a query of a test fails — a
 * unique check in a transaction that an earlier failed query aborted, or the database going away — the validation
 * never settles. The write then waits for good, its transaction stays open ("idle in transaction (aborted)") holding a
 * pooled connection, and the rejection escapes every request's chain.
 *
 * So each validation runs in a context of its own, and inside it the database queries the validator makes
 * (`strapi.db.query(uid).findOne / count / …`) never reject: the first one that fails fails the validation with its
 * error instead — Strapi rolls the transaction back and the request is answered (database faults as 503, see
 * src/strapi/database-faults.ts) — and a failed query's promise is left pending, so the abandoned yup test neither
 * goes on with a made-up answer nor rejects where nothing can handle it.
 */

type Watch = { fail: (error: unknown) => void };
type Validate = ((...args: unknown[]) => Promise<unknown>) & { [WRAPPED]?: true };
type Validator = Record<'validateEntityCreation' | 'validateEntityUpdate', Validate>;
type Repository = Record<string | symbol, unknown>;

const watching = new AsyncLocalStorage<Watch>();
const WRAPPED = Symbol.for('bulletin.settledValidation');
const guarded = new WeakMap<object, Repository>();

/** A repository whose calls, inside a validation, fail that validation instead of rejecting. */
function guardedRepository(repository: Repository): Repository {
  const known = guarded.get(repository);
  if (known !== undefined) return known;
  const proxy = new Proxy(repository, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const watch = watching.getStore();
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (watch === undefined || !(result instanceof Promise)) return result;
        return result.catch((error: unknown) => {
          watch.fail(error);
          return new Promise<never>(() => undefined);
        });
      };
    },
  });
  guarded.set(repository, proxy);
  return proxy;
}

/**
 * Wraps the validator (one object per process, shared by every app a process boots: done once) and this app's
 * `strapi.db.query` (whose repositories are guarded only inside a validation).
 */
export function settleEntityValidation(strapi: Core.Strapi): void {
  const db = strapi.db as unknown as { query: (uid: string) => Repository };
  const query = db.query.bind(db);
  db.query = (uid: string) => {
    const repository = query(uid);
    return watching.getStore() === undefined ? repository : guardedRepository(repository);
  };

  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the validator is what this module repairs: the Document Service calls it
  const validator = strapi.entityValidator as unknown as Validator;
  for (const name of ['validateEntityCreation', 'validateEntityUpdate'] as const) {
    const original = validator[name];
    if (original[WRAPPED] === true) continue;
    const settled: Validate = (...args) =>
      new Promise((resolve, reject) => {
        watching.run({ fail: reject }, () => {
          original.apply(validator, args).then(resolve, reject);
        });
      });
    settled[WRAPPED] = true;
    validator[name] = settled;
  }
}
