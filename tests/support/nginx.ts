import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawn, type ChildProcess } from 'child_process';

/**
 * nginx (Debian's nginx-light, /usr/sbin/nginx) running deploy/nginx/bulletin.conf on ports the test chose: the
 * file's `listen 80` and its upstream servers are replaced, and it is wrapped in a minimal nginx.conf whose temporary
 * files, pid and logs are in a fresh folder. The access log records which app process answered each request.
 */
export type Nginx = { port: number; accessLog: () => string[]; stop: () => Promise<void> };

export const NGINX = process.env.NGINX_BINARY ?? '/usr/sbin/nginx';

export async function startNginx(port: number, appPorts: number[]): Promise<Nginx> {
  const site = fs.readFileSync(path.resolve(__dirname, '..', '..', 'deploy', 'nginx', 'bulletin.conf'), 'utf8');
  const servers = site.match(/^\s*server 127\.0\.0\.1:\d+.*$/gm) ?? [];
  if (servers.length === 0 || !/listen 80;/.test(site))
    throw new Error('deploy/nginx/bulletin.conf: no upstream servers or no `listen 80;`');
  const options = (servers[0] ?? '').replace(/^\s*server 127\.0\.0\.1:\d+/, '').trim();
  let rewritten = site.replace(/listen 80;/, `listen 127.0.0.1:${port};`);
  rewritten = rewritten.replace(
    servers.join('\n'),
    appPorts.map((appPort) => `    server 127.0.0.1:${appPort} ${options}`).join('\n'),
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-nginx-'));
  const conf = [
    ...(process.getuid?.() === 0 ? ['user root;'] : []),
    'worker_processes 1;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    'daemon off;',
    'events { worker_connections 512; }',
    'http {',
    `  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;`,
    `  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;`,
    `  log_format upstream '$status $upstream_addr $request_method $uri';`,
    `  access_log ${dir}/access.log upstream;`,
    rewritten,
    '}',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  // Ready when it accepts connections.
  const deadline = Date.now() + 15000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `nginx exited with ${child.exitCode}: ${stderr}${fs.existsSync(`${dir}/error.log`) ? fs.readFileSync(`${dir}/error.log`, 'utf8') : ''}`,
      );
    const up = await fetch(`http://127.0.0.1:${port}/_health`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port}: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    accessLog: () =>
      fs.existsSync(`${dir}/access.log`)
        ? fs.readFileSync(`${dir}/access.log`, 'utf8').split('\n').filter(Boolean)
        : [],
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) {
          done();
          return;
        }
        child.once('exit', done);
        child.kill('SIGQUIT');
        setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
