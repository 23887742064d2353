import net from 'net';
import path from 'path';
import { spawn, type ChildProcess } from 'child_process';

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

/** Starts the compiled app in its own process on 127.0.0.1:<port> (0: a free port the OS picks); resolves once it serves. */
export function startAppProcess(port: number, env: Record<string, string>, printToken = false): Promise<AppProcess> {
  const child = spawn(process.execPath, [path.join(__dirname, 'serve.js')], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', PRINT_TOKEN: printToken ? '1' : '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let token: string | null = null;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (exited(child)) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => {
        if (!exited(child)) child.kill('SIGKILL');
      }, 10000).unref();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`app process on ${port} did not start in 90 s:\n${output}`));
    }, 90000);
    child.stderr?.on('data', (chunk) => (output += String(chunk)));
    child.stdout?.on('data', (chunk) => {
      output += String(chunk);
      const match = /TOKEN=(\S+)/.exec(output);
      if (match !== null) token = match[1];
      const listening = /PORT=(\d+)/.exec(output);
      if (output.includes('READY')) {
        clearTimeout(timer);
        resolve({ port: listening === null ? port : Number(listening[1]), token, process: child, output: () => output, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`app process on ${port} exited with ${code}:\n${output}`));
    });
  });
}
