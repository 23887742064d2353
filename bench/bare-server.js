// The leanest honest server for a published issue (bench:api, scenario 4): node:http; the reader's JWT checked as
// HS256 with node:crypto (signature, expiry); the answer's bytes, stored beforehand, from one lookup by primary key
// (pg, a pool, a prepared statement); written as they are. GET /answer/:id with `Authorization: Bearer <jwt>`.
// With BENCH_SQL (a JSON file { name: { statements: [sql, …], transaction?: true } }), also the admin benchmarks'
// reference (bench:admin, bench:write): GET /sql/:name?values=[[…], …] or POST /sql/:name with that array as the body
// runs the named statements through pg (each its own values; in one transaction when asked), and answers
// JSON.stringify({ data }) of the rows (one statement: its rows; several: their rows each).
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
const SQL = process.env.BENCH_SQL ? JSON.parse(require('fs').readFileSync(process.env.BENCH_SQL, 'utf8')) : {};

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
  if (req.url.startsWith('/sql/')) return serveSql(req, res);
  const match = /^\/answer\/(\d+)$/.exec(req.url);
  if (match === null) return res.writeHead(404).end();
  if (verify(req.headers.authorization) === null) return res.writeHead(401).end();
  const { rows } = await pool.query({ ...LOOKUP, values: [Number(match[1])] });
  if (rows.length === 0) return res.writeHead(404).end();
  const body = rows[0].body;
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length }).end(body);
}

async function serveSql(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  const named = SQL[decodeURIComponent(url.pathname.slice('/sql/'.length))];
  if (named === undefined) return res.writeHead(404).end();
  if (verify(req.headers.authorization) === null) return res.writeHead(401).end();
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const given = req.method === 'POST' ? Buffer.concat(chunks).toString() : url.searchParams.get('values');
  const values = given ? JSON.parse(given) : [];
  const client = await pool.connect();
  let results;
  try {
    if (named.transaction) await client.query('BEGIN');
    results = [];
    for (const [index, text] of named.statements.entries())
      results.push((await client.query(text, values[index] ?? [])).rows);
    if (named.transaction) await client.query('COMMIT');
  } catch (error) {
    if (named.transaction) await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  const body = Buffer.from(JSON.stringify({ data: results.length === 1 ? results[0] : results }));
  res
    .writeHead(req.method === 'POST' ? 201 : 200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': body.length,
    })
    .end(body);
}

process.on('SIGTERM', () => pool.end().then(() => process.exit(0)));
