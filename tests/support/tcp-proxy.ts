import net from 'net';

/**
 * A TCP proxy in front of PostgreSQL, so a test can take "the database" away from one app without touching the
 * server other tests use. Listens on 127.0.0.1:<port from the OS>.
 * - open: every connection is forwarded to the target;
 * - refused: every connection is cut and nothing listens any more (a new connection is refused at once, ECONNREFUSED);
 * - blackholed: every connection is cut; new ones are accepted and never answered (a server that hangs);
 * - frozen: open connections stay open but nothing passes any more, either way; new ones are accepted and never
 *   answered (a network that drops everything);
 * - handshake-only: every connection is cut; new ones get through PostgreSQL's start-up (up to its first
 *   ReadyForQuery) and are cut at the first query after it (a server that fails right after accepting a client).
 * Back to open: the silent connections are closed, frozen ones pass again, the port listens again.
 */

export type ProxyMode = 'open' | 'refused' | 'blackholed' | 'frozen' | 'handshake-only';

export type TcpProxy = {
  port: number;
  mode: () => ProxyMode;
  set: (mode: ProxyMode) => Promise<void>;
  /** Connections forwarded since the start. */
  forwarded: () => number;
  close: () => Promise<void>;
};

type Pair = { client: net.Socket; upstream: net.Socket; frozen: boolean; manual: boolean };

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: ProxyMode = 'open';
  let forwarded = 0;
  const pairs = new Set<Pair>();
  const silent = new Set<net.Socket>();

  const cut = (pair: Pair) => {
    pair.client.destroy();
    pair.upstream.destroy();
    pairs.delete(pair);
  };
  const link = (pair: Pair) => {
    pair.client.pipe(pair.upstream);
    pair.upstream.pipe(pair.client);
    pair.client.resume();
    pair.upstream.resume();
  };
  const freeze = (pair: Pair) => {
    pair.frozen = true;
    pair.client.unpipe(pair.upstream);
    pair.upstream.unpipe(pair.client);
    pair.client.pause();
    pair.upstream.pause();
  };

  /** ReadyForQuery: 'Z', length 5 (then the transaction status byte). */
  const READY = Buffer.from([0x5a, 0, 0, 0, 5]);

  const server = net.createServer((client) => {
    client.on('error', () => client.destroy());
    if (mode === 'handshake-only') {
      const upstream = net.connect(targetPort, targetHost);
      const pair: Pair = { client, upstream, frozen: false, manual: true };
      pairs.add(pair);
      upstream.on('error', () => cut(pair));
      client.on('close', () => cut(pair));
      upstream.on('close', () => cut(pair));
      let ready = false;
      let tail = Buffer.alloc(0);
      upstream.on('data', (chunk: Buffer) => {
        client.write(chunk);
        const seen = Buffer.concat([tail, chunk]);
        if (seen.includes(READY)) ready = true;
        tail = seen.subarray(Math.max(0, seen.length - READY.length));
      });
      client.on('data', (chunk: Buffer) => (ready ? cut(pair) : upstream.write(chunk)));
      return;
    }
    if (mode !== 'open') {
      // Accepted, read and never answered.
      silent.add(client);
      client.on('close', () => silent.delete(client));
      client.resume();
      return;
    }
    forwarded += 1;
    const upstream = net.connect(targetPort, targetHost);
    const pair: Pair = { client, upstream, frozen: false, manual: false };
    pairs.add(pair);
    upstream.on('error', () => cut(pair));
    client.on('close', () => cut(pair));
    upstream.on('close', () => cut(pair));
    link(pair);
  });

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.removeListener('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));

  const port = await listen(0);

  const set = async (next: ProxyMode) => {
    const previous = mode;
    mode = next;
    for (const pair of [...pairs]) if (pair.manual) cut(pair);
    if (next === 'open') {
      for (const socket of silent) socket.destroy();
      silent.clear();
      for (const pair of pairs) {
        if (pair.frozen) {
          pair.frozen = false;
          link(pair);
        }
      }
      if (!server.listening) {
        // The port was released while refusing; take it back (another process could have taken it meanwhile).
        for (let attempt = 0; ; attempt += 1) {
          try {
            await listen(port);
            break;
          } catch (error) {
            if (attempt >= 20) throw error;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
      }
      return;
    }
    if (next === 'frozen') {
      for (const pair of pairs) freeze(pair);
      return;
    }
    for (const pair of [...pairs]) cut(pair);
    if (next === 'refused' && previous !== 'refused') {
      // server.close() stops accepting at once and calls back when no connection is left: none are.
      await stopListening();
    }
  };

  return {
    port,
    mode: () => mode,
    set,
    forwarded: () => forwarded,
    close: async () => {
      for (const pair of [...pairs]) cut(pair);
      for (const socket of silent) socket.destroy();
      silent.clear();
      await stopListening();
    },
  };
}
