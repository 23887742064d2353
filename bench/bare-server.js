// The physical limit for serving a published issue (bench:api, scenario 4): node:http, the same JWT check
// (HS256 with the app's secret), one indexed PostgreSQL lookup, the same response bytes as GET /api/bulletin/….
const http = require('http');
const crypto = require('crypto');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const secret = process.env.JWT_SECRET;

function verify(header) {
  const token = /^Bearer (.+)$/.exec(header || '');
  if (token === null) return null;
  const [head, payload, signature] = token[1].split('.');
  const expected = crypto.createHmac('sha256', secret).update(`${head}.${payload}`).digest('base64url');
  if (signature === undefined || !crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) return null;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  return typeof claims.exp === 'number' && claims.exp * 1000 < Date.now() ? null : claims;
}

http
  .createServer((req, res) => {
    serve(req, res).catch((error) => {
      process.stderr.write(`${error.stack}\n`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('READY\n'));

async function serve(req, res) {
    const match = /^\/issue\/(\d+)\/(\d+)$/.exec(req.url);
    if (match === null) return res.writeHead(404).end();
    if (verify(req.headers.authorization) === null) return res.writeHead(401).end();
    const { rows } = await pool.query(
      "SELECT record FROM issues WHERE publication = $1 AND edition = 'regular' AND year = $2 AND number = $3 AND published_at IS NOT NULL",
      ['上街信息', Number(match[1]), Number(match[2])],
    );
    if (rows.length === 0) return res.writeHead(404).end();
    const body = JSON.stringify({ data: rows[0].record });
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) }).end(body);
}

process.on('SIGTERM', () => pool.end().then(() => process.exit(0)));
