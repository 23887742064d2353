// Backup and restore of the whole installation (README "Backup and restore"): the database and the uploaded files in
// one tar file with a manifest. Used by scripts/backup.js, scripts/restore.js, the tests and bench/backup.js.
//
// The file (`tar` with exactly these members):
//   manifest.json      format, app name and version, when, database client, schema fingerprint, every member's size
//                      and sha256
//   database.dump      PostgreSQL: `pg_dump --format=custom` (restored with pg_restore)
//   database.sqlite    SQLite: a consistent copy made by SQLite's online backup API (better-sqlite3)
//   uploads/...        public/uploads as it was
// The database settings are read from the environment as `npm start` reads them (config/database.ts). pg_dump and
// pg_restore come from the PATH and get the password in PGPASSWORD, never on a command line.
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

const appDir = path.resolve(__dirname, '..', '..');
const FORMAT = 'bulletin-backup';
const FORMAT_VERSION = 1;

/** The database `npm start` would use, from the environment (config/database.ts). */
function databaseSettings(env = process.env) {
  const client = env.DATABASE_CLIENT || 'sqlite';
  if (client === 'sqlite') {
    return { client, filename: path.resolve(appDir, env.DATABASE_FILENAME || '.tmp/data.db') };
  }
  if (client !== 'postgres')
    throw new Error(`DATABASE_CLIENT must be "sqlite" (the default) or "postgres", not "${client}".`);
  if (env.DATABASE_URL) {
    const url = new URL(env.DATABASE_URL);
    return {
      client,
      host: decodeURIComponent(url.hostname) || '127.0.0.1',
      port: url.port || '5432',
      database: decodeURIComponent(url.pathname.replace(/^\//, '')),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      schema: env.DATABASE_SCHEMA || 'public',
      ssl: env.DATABASE_SSL === 'true' || url.searchParams.get('sslmode') === 'require',
    };
  }
  return {
    client,
    host: env.DATABASE_HOST || '127.0.0.1',
    port: env.DATABASE_PORT || '5432',
    database: env.DATABASE_NAME || 'bulletin',
    user: env.DATABASE_USERNAME || 'bulletin',
    password: env.DATABASE_PASSWORD || 'bulletin',
    schema: env.DATABASE_SCHEMA || 'public',
    ssl: env.DATABASE_SSL === 'true',
  };
}

/** The uploaded files' folder (Strapi's local upload provider writes public/uploads). */
function uploadsDir(env = process.env) {
  return path.resolve(appDir, env.BULLETIN_UPLOADS_DIR || 'public/uploads');
}

/** The environment of pg_dump / pg_restore / psql: connection in PG* variables, the password never in argv. */
function pgEnv(settings) {
  const env = {
    ...process.env,
    PGHOST: settings.host,
    PGPORT: String(settings.port),
    PGUSER: settings.user,
    PGDATABASE: settings.database,
  };
  if (settings.password) env.PGPASSWORD = settings.password;
  else delete env.PGPASSWORD;
  if (settings.ssl) env.PGSSLMODE = 'require';
  return env;
}

function pgClient(settings) {
  const { Client } = require('pg');
  return new Client({
    host: settings.host,
    port: Number(settings.port),
    database: settings.database,
    user: settings.user,
    password: settings.password,
    ssl: settings.ssl ? { rejectUnauthorized: process.env.DATABASE_SSL_REJECT_UNAUTHORIZED !== 'false' } : false,
  });
}

/** Runs a program (no shell), rejecting with its standard error when it fails. */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stderr = '';
    child.stdout.on('data', () => undefined);
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.once('error', (error) =>
      reject(
        new Error(
          `${command}: ${error.message}${error.code === 'ENOENT' ? ` (is ${command} installed and on the PATH?)` : ''}`,
        ),
      ),
    );
    child.once('exit', (code) =>
      code === 0 ? resolve(stderr) : reject(new Error(`${command} exited with ${code}: ${stderr.trim()}`)),
    );
  });
}

function sha256File(file) {
  return new Promise((resolve, reject) => {
    const hash = crypto.createHash('sha256');
    fs.createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Every regular file under dir, as paths relative to dir with '/' separators, sorted. */
function filesUnder(dir) {
  const found = [];
  const walk = (relative) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) found.push(child);
    }
  };
  if (fs.existsSync(dir)) walk('');
  return found.sort();
}

/** The uploads worth keeping: everything but the placeholder that keeps the empty folder in git. */
const uploadFiles = (dir) => filesUnder(dir).filter((file) => file !== '.gitkeep');

/**
 * The schema fingerprint: sha256 of every table's columns (name, type, nullability) in order, so that a restore can
 * prove it brought back the schema the backup was made from, and an upgrade can tell which schema a backup has.
 */
async function schemaOf(settings) {
  let lines;
  if (settings.client === 'postgres') {
    const client = pgClient(settings);
    await client.connect();
    try {
      const result = await client.query(
        `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
          WHERE table_schema = $1 ORDER BY table_name, column_name`,
        [settings.schema],
      );
      lines = result.rows.map(
        (row) =>
          `${row.table_name}.${row.column_name} ${row.data_type} ${row.is_nullable === 'YES' ? 'null' : 'not null'}`,
      );
    } finally {
      await client.end();
    }
  } else {
    const Database = require('better-sqlite3');
    const db = new Database(settings.filename, { readonly: true, fileMustExist: true });
    try {
      lines = [];
      const tables = db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
        .all();
      for (const { name } of tables) {
        const columns = db
          .prepare(`SELECT name, type, "notnull" AS required FROM pragma_table_info(?) ORDER BY name`)
          .all(name);
        for (const column of columns)
          lines.push(`${name}.${column.name} ${column.type.toLowerCase()} ${column.required ? 'not null' : 'null'}`);
      }
    } finally {
      db.close();
    }
  }
  const tables = new Set(lines.map((line) => line.split('.')[0])).size;
  return { fingerprint: crypto.createHash('sha256').update(lines.join('\n')).digest('hex'), tables };
}

/** The tables in the target database (empty: a restore may go ahead without --force). */
async function tablesIn(settings) {
  if (settings.client === 'postgres') {
    const client = pgClient(settings);
    await client.connect();
    try {
      const result = await client.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [settings.schema],
      );
      return result.rows.map((row) => row.table_name);
    } finally {
      await client.end();
    }
  }
  if (!fs.existsSync(settings.filename) || fs.statSync(settings.filename).size === 0) return [];
  const Database = require('better-sqlite3');
  const db = new Database(settings.filename, { readonly: true });
  try {
    return db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .all()
      .map((row) => row.name);
  } finally {
    db.close();
  }
}

function appVersion() {
  const pkg = JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8'));
  return { name: pkg.name, version: pkg.version, strapi: pkg.dependencies['@strapi/strapi'] };
}

function defaultFileName(settings, now = new Date()) {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, 'Z');
  const name =
    settings.client === 'postgres'
      ? settings.database
      : path.basename(settings.filename, path.extname(settings.filename));
  return `bulletin-${name}-${stamp}.tar`;
}

/**
 * Writes one backup file of the configured database and uploads; returns { file, manifest }. The file appears only
 * when complete (written under a temporary name, then renamed).
 */
async function backup({ out, env = process.env, log = () => undefined } = {}) {
  const settings = databaseSettings(env);
  const target = path.resolve(out || path.join(appDir, 'backups', defaultFileName(settings)));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-backup-'));
  const partial = `${target}.partial`;
  try {
    let databaseMember;
    if (settings.client === 'postgres') {
      databaseMember = 'database.dump';
      log(`pg_dump ${settings.database} on ${settings.host}:${settings.port}`);
      // The whole database (its public schema is not re-created on restore); another schema (DATABASE_SCHEMA) alone.
      const only = settings.schema === 'public' ? [] : [`--schema=${settings.schema}`];
      await run(
        'pg_dump',
        ['--format=custom', '--no-owner', '--no-privileges', ...only, `--file=${path.join(staging, databaseMember)}`],
        { env: pgEnv(settings) },
      );
    } else {
      if (!fs.existsSync(settings.filename))
        throw new Error(`no SQLite database at ${settings.filename} (DATABASE_FILENAME): nothing to back up`);
      databaseMember = 'database.sqlite';
      log(`SQLite backup of ${settings.filename}`);
      const Database = require('better-sqlite3');
      const db = new Database(settings.filename, { readonly: true, fileMustExist: true });
      try {
        await db.backup(path.join(staging, databaseMember));
      } finally {
        db.close();
      }
    }
    const uploads = uploadsDir(env);
    const uploaded = uploadFiles(uploads);
    for (const file of uploaded) {
      const destination = path.join(staging, 'uploads', ...file.split('/'));
      fs.mkdirSync(path.dirname(destination), { recursive: true });
      fs.copyFileSync(path.join(uploads, ...file.split('/')), destination);
    }
    log(`${uploaded.length} uploaded files from ${uploads}`);

    const members = [databaseMember, ...uploaded.map((file) => `uploads/${file}`)];
    const files = [];
    for (const member of members) {
      const full = path.join(staging, ...member.split('/'));
      files.push({ path: member, size: fs.statSync(full).size, sha256: await sha256File(full) });
    }
    const manifest = {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      app: appVersion(),
      createdAt: new Date().toISOString(),
      database: {
        client: settings.client,
        name: settings.client === 'postgres' ? settings.database : path.basename(settings.filename),
        schema: await schemaOf(settings),
      },
      files,
    };
    fs.writeFileSync(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    // manifest.json first: a reader sees what the file holds before the large members.
    const listed = ['manifest.json', databaseMember, ...(uploaded.length > 0 ? ['uploads'] : [])];
    await run('tar', ['--create', `--file=${partial}`, `--directory=${staging}`, '--format=posix', '--', ...listed]);
    fs.renameSync(partial, target);
    return { file: target, manifest };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(partial, { force: true });
  }
}

/** Unpacks a backup file into a new folder and checks it against its manifest; returns { dir, manifest }. */
async function unpack(file) {
  if (!fs.existsSync(file)) throw new Error(`backup file ${file} does not exist`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-restore-'));
  try {
    try {
      await run('tar', [
        '--extract',
        `--file=${file}`,
        `--directory=${dir}`,
        '--no-same-owner',
        '--no-same-permissions',
      ]);
    } catch (error) {
      throw new Error(`backup file ${file} is damaged or not a backup: it cannot be unpacked (${error.message})`, {
        cause: error,
      });
    }
    let manifest;
    try {
      manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    } catch {
      throw new Error(`backup file ${file} is damaged or not a backup: manifest.json is missing or unreadable`);
    }
    if (manifest.format !== FORMAT || manifest.formatVersion !== FORMAT_VERSION) {
      throw new Error(
        `backup file ${file} is not a ${FORMAT} version ${FORMAT_VERSION} file (manifest says ${manifest.format} ${manifest.formatVersion})`,
      );
    }
    const problems = [];
    const listed = new Set(manifest.files.map((entry) => entry.path));
    for (const entry of manifest.files) {
      const full = path.join(dir, ...entry.path.split('/'));
      if (!fs.existsSync(full)) problems.push(`${entry.path} is missing`);
      else if ((await sha256File(full)) !== entry.sha256)
        problems.push(`${entry.path} does not match its sha256 checksum`);
    }
    for (const extra of filesUnder(dir))
      if (extra !== 'manifest.json' && !listed.has(extra)) problems.push(`${extra} is not in the manifest`);
    if (problems.length > 0)
      throw new Error(`backup file ${file} is damaged, nothing was restored: ${problems.join('; ')}`);
    return { dir, manifest };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Rebuilds the configured database and uploads from a backup file. Refuses a database that has tables unless force
 * (then everything in it is replaced). Returns { manifest, tables, fingerprint }.
 */
async function restore({ file, force = false, env = process.env, log = () => undefined }) {
  const settings = databaseSettings(env);
  const { dir, manifest } = await unpack(path.resolve(file));
  try {
    if (manifest.database.client !== settings.client) {
      throw new Error(
        `backup file ${file} holds a ${manifest.database.client} database; the configured database (DATABASE_CLIENT) is ${settings.client}`,
      );
    }
    const existing = await tablesIn(settings);
    if (existing.length > 0 && !force) {
      const where = settings.client === 'postgres' ? `database ${settings.database}` : settings.filename;
      throw new Error(
        `refusing to restore into ${where}: it is not empty (${existing.length} tables). Restore into an empty database, or pass --force to replace everything in it.`,
      );
    }
    if (settings.client === 'postgres') {
      if (existing.length > 0 || settings.schema !== 'public') {
        // --force: everything in the schema goes. Another schema than public is re-created by pg_restore itself.
        if (existing.length > 0) log(`--force: emptying schema ${settings.schema} of ${settings.database}`);
        const client = pgClient(settings);
        await client.connect();
        try {
          const quoted = `"${settings.schema.replace(/"/g, '""')}"`;
          await client.query(`DROP SCHEMA IF EXISTS ${quoted} CASCADE`);
          if (settings.schema === 'public') await client.query(`CREATE SCHEMA ${quoted}`);
        } finally {
          await client.end();
        }
      }
      log(`pg_restore into ${settings.database} on ${settings.host}:${settings.port}`);
      await run(
        'pg_restore',
        [
          '--no-owner',
          '--no-privileges',
          '--exit-on-error',
          '--single-transaction',
          `--dbname=${settings.database}`,
          path.join(dir, 'database.dump'),
        ],
        { env: pgEnv(settings) },
      );
    } else {
      fs.mkdirSync(path.dirname(settings.filename), { recursive: true });
      for (const suffix of ['', '-wal', '-shm', '-journal'])
        fs.rmSync(`${settings.filename}${suffix}`, { force: true });
      const Database = require('better-sqlite3');
      const source = new Database(path.join(dir, 'database.sqlite'), { readonly: true, fileMustExist: true });
      try {
        await source.backup(settings.filename);
      } finally {
        source.close();
      }
    }
    const uploads = uploadsDir(env);
    if (force)
      for (const old of uploadFiles(uploads)) fs.rmSync(path.join(uploads, ...old.split('/')), { force: true });
    const restoredUploads = manifest.files.filter((entry) => entry.path.startsWith('uploads/'));
    for (const entry of restoredUploads) {
      const destination = path.join(uploads, ...entry.path.slice('uploads/'.length).split('/'));
      fs.mkdirSync(path.dirname(destination), { recursive: true });
      fs.copyFileSync(path.join(dir, ...entry.path.split('/')), destination);
    }
    log(`${restoredUploads.length} uploaded files into ${uploads}`);
    const schema = await schemaOf(settings);
    if (schema.fingerprint !== manifest.database.schema.fingerprint) {
      throw new Error(
        `restored, but the schema fingerprint ${schema.fingerprint} differs from the backup's ${manifest.database.schema.fingerprint}`,
      );
    }
    return { manifest, tables: schema.tables, fingerprint: schema.fingerprint, uploads: restoredUploads.length };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { backup, restore, unpack, schemaOf, tablesIn, databaseSettings, uploadsDir, pgEnv, run };
