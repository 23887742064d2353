/**
 * One query at a time on each PostgreSQL connection, in the order they were asked for.
 *
 * Strapi 5.54 sends queries concurrently on one connection: inside a write's transaction, the Document Service's
 * relation transform maps relations in parallel (p-map) and the entity validator runs its checks together (yup,
 * Promise.all). node-postgres 8 still queues them, with a deprecation warning; node-postgres 9 refuses them. So the
 * app gives every connection the "external async flow control" the warning asks for: each `query()` waits for the
 * one before it to be answered (callback or promise), then is sent. The order is the one node-postgres's own queue
 * kept, so nothing changes in what runs when, and a query's own time limit (query_timeout) starts when it is sent.
 */

type Callback = (error: Error | null, result?: unknown) => void;
type Query = (...args: unknown[]) => unknown;
export type QueryClient = { query: Query };

const SERIAL = Symbol.for('bulletin.serialQueries');

/** Wraps `client.query` (once) so that its calls run one after another. */
export function serializeQueries<T extends { query: unknown }>(wrapped: T): T {
  const client = wrapped as unknown as QueryClient & { [SERIAL]?: true };
  if (client[SERIAL] === true) return wrapped;
  client[SERIAL] = true;
  const query = client.query.bind(client);
  let tail: Promise<void> = Promise.resolve();

  client.query = (...args: unknown[]) => {
    const first = args[0] as { submit?: unknown } | undefined;
    // A submittable (a cursor, a stream) manages its own round trips: handed on as it is.
    if (typeof first === 'object' && first !== null && typeof first.submit === 'function') return query(...args);
    const last = args[args.length - 1];
    const callback = typeof last === 'function' ? (last as Callback) : null;
    const head = callback === null ? args : args.slice(0, -1);
    let done!: () => void;
    const previous = tail;
    tail = new Promise<void>((resolve) => (done = resolve));
    if (callback !== null) {
      void previous.then(() => {
        try {
          query(...head, (error: Error | null, result?: unknown) => {
            done();
            callback(error, result);
          });
        } catch (error) {
          done();
          callback(error as Error);
        }
      });
      return undefined;
    }
    return previous.then(() => {
      const answer = Promise.resolve().then(() => query(...head));
      void answer.then(done, done);
      return answer;
    });
  };
  return wrapped;
}
