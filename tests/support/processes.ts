import net from 'net';
import path from 'path';
import { spawn, type ChildProcess } from 'child_process';
import { serverErrors } from './server-errors';

export type AppProcess = {
  port: number;
  token: string | null;
  process: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output: () => string;
  stop: () => Promise<void>;
};

/** A TCP port the OS says is free on 127.0.0.1 (asked for by listening on port 0, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port from the OS'))));
    });
  });
}

const exited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

export type AppProcessOptions = {
  /**
   * 5xx statuses this process is expected to answer (a test of database outages expects 503). Any other 5xx it answers
   * fails the test then running, as for in-process apps (tests/support/server-errors.ts).
   */
  expectedServerErrors?: readonly number[];
  /** How long the start may take (default 90 s); processes that wait for each other's start need longer. */
  startTimeoutMs?: number;
};

/** The 5xx answers a child process reported on standard error (tests/support/serve.js), as `<method> <url> → <status>`. */
export function reportedServerErrors(text: string, expected: readonly number[]): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/^SERVER_ERROR (\d{3}) (\S+) (.*)$/gm)) {
    const status = Number(match[1]);
    if (!expected.includes(status)) found.push(`${match[2]} ${match[3]} → ${status} (child process)`);
  }
  return found;
}

/** Starts the compiled app in its own process on 127.0.0.1:<port> (0: a free port the OS picks); resolves once it serves. */
export function startAppProcess(
  port: number,
  env: Record<string, string>,
  printToken = false,
  options: AppProcessOptions = {},
): Promise<AppProcess> {
  const child = spawn(process.execPath, [path.join(__dirname, 'serve.js')], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      PRINT_TOKEN: printToken ? '1' : '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let token: string | null = null;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (exited(child)) {
        resolve();
        return;
      }
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => {
        if (!exited(child)) child.kill('SIGKILL');
      }, 10000).unref();
    });
  return new Promise((resolve, reject) => {
    const limit = options.startTimeoutMs ?? 90000;
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`app process on ${port} did not start in ${limit / 1000} s:\n${output}`));
    }, limit);
    // Standard error is read line by line: a SERVER_ERROR line is counted once, however the chunks fall.
    let partial = '';
    child.stderr.on('data', (chunk) => {
      output += String(chunk);
      partial += String(chunk);
      const end = partial.lastIndexOf('\n');
      if (end < 0) return;
      serverErrors.push(...reportedServerErrors(partial.slice(0, end + 1), options.expectedServerErrors ?? []));
      partial = partial.slice(end + 1);
    });
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
      const match = /TOKEN=(\S+)/.exec(output);
      if (match !== null) token = match[1];
      const listening = /PORT=(\d+)/.exec(output);
      if (output.includes('READY')) {
        clearTimeout(timer);
        resolve({
          port: listening === null ? port : Number(listening[1]),
          token,
          process: child,
          output: () => output,
          stop,
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`app process on ${port} exited with ${code}:\n${output}`));
    });
  });
}
