import path from 'path';
import { spawn, type ChildProcess } from 'child_process';

export type AppProcess = { port: number; token: string | null; process: ChildProcess; stop: () => Promise<void> };

/** Starts the compiled app in its own process on 127.0.0.1:<port> (0: a free port the OS chooses); resolves once it serves. */
export function startAppProcess(port: number, env: Record<string, string>, printToken = false): Promise<AppProcess> {
  const child = spawn(process.execPath, [path.join(__dirname, 'serve.js')], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', PRINT_TOKEN: printToken ? '1' : '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let token: string | null = null;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10000).unref();
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
      if (output.includes('READY')) {
        clearTimeout(timer);
        const listening = /PORT=(\d+)/.exec(output);
        resolve({ port: listening === null ? port : Number(listening[1]), token, process: child, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`app process on ${port} exited with ${code}:\n${output}`));
    });
  });
}
