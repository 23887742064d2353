#!/usr/bin/env node
// npm run bench:proxy [-- --requests 3000 --concurrency 32]
// Throughput of the app behind Debian's nginx (deploy/nginx/bulletin.conf, ports substituted): three app processes in
// the upstream against one, same nginx, same database (PostgreSQL, production mode), same requests (a reader's list
// of issues and one issue with its items, by REST with an API token), measured in the same run. Prints requests per
// second of each and the ratio.
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const { spawn } = require('child_process');
const { compile, createDatabase, startApp, runConcurrently, arg } = require('./lib');

const REQUESTS = arg('requests', 3000);
const CONCURRENCY = arg('concurrency', 32);
const NGINX = process.env.NGINX_BINARY || '/usr/sbin/nginx';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function nginx(port, appPorts) {
  const site = fs.readFileSync(path.join(__dirname, '..', 'deploy', 'nginx', 'bulletin.conf'), 'utf8');
  const servers = site.match(/^\s*server 127\.0\.0\.1:\d+.*$/gm);
  const options = servers[0].replace(/^\s*server 127\.0\.0\.1:\d+/, '').trim();
  const rewritten = site
    .replace(/listen 80;/, `listen 127.0.0.1:${port};`)
    .replace(servers.join('\n'), appPorts.map((appPort) => `    server 127.0.0.1:${appPort} ${options}`).join('\n'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-nginx-'));
  const conf = `${process.getuid() === 0 ? 'user root;\n' : ''}worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn; daemon off;
events { worker_connections 1024; }
http { client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi; access_log off;
${rewritten}
}`;
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
  const child = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'inherit' });
  for (let i = 0; i < 150; i += 1) {
    if (
      await fetch(`http://127.0.0.1:${port}/_health`).then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGQUIT');
      }),
  };
}

async function main() {
  const distDir = await compile();
  const database = await createDatabase('bench_proxy');
  const apps = [];
  try {
    const env = {
      DATABASE_CLIENT: 'postgres',
      DATABASE_URL: database.url,
      BULLETIN_DEMO_CONTENT: 'true',
      IS_PROXIED: 'true',
    };
    const ports = [await freePort(), await freePort(), await freePort()];
    // The first makes the schema and the demo content; the other two start on it.
    apps.push(await startApp(ports[0], env, distDir));
    apps.push(...(await Promise.all(ports.slice(1).map((port) => startApp(port, env, distDir)))));
    const token = apps[0].token;
    const list = await (
      await fetch(`http://127.0.0.1:${ports[0]}/api/issues?pagination[pageSize]=1`, {
        headers: { Authorization: `Bearer ${token}` },
      })
    ).json();
    const one = list.data[0].documentId;
    const paths = ['/api/issues?pagination[pageSize]=25', `/api/issues/${one}?populate=items`];

    const measure = async (upstream) => {
      const port = await freePort();
      const proxy = await nginx(port, upstream);
      try {
        const request = async (index) => {
          const res = await fetch(`http://127.0.0.1:${port}${paths[index % paths.length]}`, {
            headers: { Authorization: `Bearer ${token}` },
          });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`${paths[index % paths.length]} answered ${res.status}`);
        };
        await runConcurrently(200, CONCURRENCY, request); // warm-up
        const ms = await runConcurrently(REQUESTS, CONCURRENCY, request);
        return (REQUESTS / ms) * 1000;
      } finally {
        await proxy.stop();
      }
    };
    const single = await measure(ports.slice(0, 1));
    const three = await measure(ports);
    const singleAgain = await measure(ports.slice(0, 1));
    const reference = (single + singleAgain) / 2;
    console.log(`${REQUESTS} reads, ${CONCURRENCY} at once, through nginx, ${os.cpus().length} CPU cores`);
    console.log(
      `one app process:    ${reference.toFixed(0)} requests/s (runs before and after: ${single.toFixed(0)}, ${singleAgain.toFixed(0)})`,
    );
    console.log(`three app processes: ${three.toFixed(0)} requests/s; ratio ${(three / reference).toFixed(2)}`);
  } finally {
    for (const app of apps) await app.stop();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
