// The leanest honest server for a published issue (bench:api, scenario 4): node:http; the reader's JWT checked as
// HS256 with node:crypto (signature, expiry); the answer's bytes, stored beforehand, from one lookup by primary key
// (pg, a pool, a prepared statement); written as they are. GET /answer/:id with `Authorization: Bearer <jwt>`.
const http = require('http');
const crypto = require('crypto');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const secret = process.env.JWT_SECRET;

function verify(header) {
  const token = /^Bearer (.+)$/.exec(header || '');
  if (token === null) return null;
  const [head, payload, signature] = token[1].split('.');
  if (signature === undefined) return null;
  const expected = crypto.createHmac('sha256', secret).update(`${head}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  return typeof claims.exp === 'number' && claims.exp * 1000 < Date.now() ? null : claims;
}

const LOOKUP = { name: 'bench_answer', text: 'SELECT body FROM bench_answers WHERE id = $1' };

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
  const match = /^\/answer\/(\d+)$/.exec(req.url);
  if (match === null) return res.writeHead(404).end();
  if (verify(req.headers.authorization) === null) return res.writeHead(401).end();
  const { rows } = await pool.query({ ...LOOKUP, values: [Number(match[1])] });
  if (rows.length === 0) return res.writeHead(404).end();
  const body = rows[0].body;
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length }).end(body);
}

process.on('SIGTERM', () => pool.end().then(() => process.exit(0)));
