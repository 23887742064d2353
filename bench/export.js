#!/usr/bin/env node
// npm run bench:export [-- --warm 10 --rounds 3 --concurrency 8]
// Seeds one signed-off issue of 20 items (~600 characters each) on PostgreSQL, starts the app in production mode and
// asks for its PDF as a reader (GET /api/bulletin/:publication/:year/:number/pdf):
//   (1) the reference: one PDF at a time, warm (the shared Chromium already started), p50 / p95 over --warm renders,
//       with the peak RSS of the app plus its Chromium processes and their count while it runs alone;
//   (2) --concurrency requests at once × --rounds: every answer's status and time, the round's wall time, the peak RSS
//       of the app plus every process under it (Chromium's whole tree, summed from /proc), and the peak process count.
// Prints the figures and the ratios of (2) to (1).
const fs = require('fs');
const { compile, createDatabase, freePort, startApp, median, arg } = require('./lib');
const { seedInChild, readerJwt, request } = require('./readers');

const WARM = arg('warm', 10);
const ROUNDS = arg('rounds', 3);
const CONCURRENCY = arg('concurrency', 8);
const ITEMS = 20;

/** One request to the app, with time for a render: status, headers, milliseconds, body. */
const ask = (port, spec) => request(undefined, port, { ...spec, timeoutMs: 120000 });

// ---- /proc: a process and everything under it ------------------------------------------------------------------------

function children() {
  const byParent = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!byParent.has(ppid)) byParent.set(ppid, []);
      byParent.get(ppid).push(Number(entry));
    } catch {
      // gone in between
    }
  }
  return byParent;
}

/** The pids under `root` (not itself). */
function descendants(root) {
  const byParent = children();
  const found = [];
  const stack = [root];
  while (stack.length > 0) for (const child of byParent.get(stack.pop()) ?? []) (found.push(child), stack.push(child));
  return found;
}

const rssMb = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
};
const isChromium = (pid) => {
  try {
    return /chrom/i.test(fs.readFileSync(`/proc/${pid}/comm`, 'utf8'));
  } catch {
    return false;
  }
};

/** Samples every 50 ms until stopped: peak RSS of the app plus its tree, peak Chromium process count. */
function sampler(appPid) {
  let peakRss = 0;
  let peakCount = 0;
  const sample = () => {
    const tree = descendants(appPid);
    const rss = rssMb(appPid) + tree.reduce((sum, pid) => sum + rssMb(pid), 0);
    peakRss = Math.max(peakRss, rss);
    peakCount = Math.max(peakCount, tree.filter(isChromium).length);
  };
  sample();
  const timer = setInterval(sample, 50);
  return () => {
    clearInterval(timer);
    sample();
    return { peakRss, peakCount };
  };
}

const percentile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

async function main() {
  const distDir = await compile();
  const database = await createDatabase('bench_export');
  let app = null;
  try {
    await seedInChild(distDir, database.url, { issues: 1, items: ITEMS });
    const port = await freePort();
    app = await startApp(
      port,
      { DATABASE_CLIENT: 'postgres', DATABASE_URL: database.url, BULLETIN_DEMO_CONTENT: 'false' },
      distDir,
    );
    const pdf = {
      method: 'GET',
      path: `/api/bulletin/${encodeURIComponent('上街信息')}/2020/1/pdf`,
      headers: { authorization: `Bearer ${await readerJwt(undefined, port)}` },
    };

    const cold = await ask(port, pdf);
    if (cold.status !== 200 || !cold.body.subarray(0, 5).equals(Buffer.from('%PDF-')))
      throw new Error(`first PDF: ${cold.status} ${cold.body.subarray(0, 200)}`);
    console.log(`first PDF (starts Chromium): ${cold.ms.toFixed(0)} ms, ${(cold.body.length / 1024).toFixed(0)} kB`);

    // (1) the reference: one at a time.
    const stopAlone = sampler(app.pid);
    const alone = [];
    for (let i = 0; i < WARM; i += 1) {
      const res = await ask(port, pdf);
      if (res.status !== 200) throw new Error(`warm PDF: ${res.status}`);
      alone.push(res.ms);
    }
    const aloneUse = stopAlone();

    // (2) CONCURRENCY at once, ROUNDS times.
    const rounds = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const stop = sampler(app.pid);
      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: CONCURRENCY }, () => ask(port, pdf)));
      const wall = Date.now() - started;
      const use = stop();
      const statuses = answers.reduce(
        (counts, res) => ({ ...counts, [res.status]: (counts[res.status] ?? 0) + 1 }),
        {},
      );
      const refused = answers.filter((res) => res.status === 503);
      if (refused.some((res) => res.headers['retry-after'] === undefined)) throw new Error('a 503 without Retry-After');
      rounds.push({ wall, slowest: Math.max(...answers.map((res) => res.ms)), statuses, ...use });
    }
    const after = descendants(app.pid).filter(isChromium).length;

    const p50 = percentile(alone, 0.5);
    console.log('');
    console.log(
      `| measurement | p50 ms | p95 ms | wall ms | slowest ms | statuses | peak RSS app+Chromium MB | Chromium processes |`,
    );
    console.log('| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |');
    console.log(
      `| (1) one PDF alone, warm, ×${WARM} | ${p50.toFixed(0)} | ${percentile(alone, 0.95).toFixed(0)} | – | – | 200×${WARM} | ${aloneUse.peakRss.toFixed(0)} | ${aloneUse.peakCount} |`,
    );
    for (const [i, round] of rounds.entries()) {
      const statuses = Object.entries(round.statuses)
        .map(([status, count]) => `${status}×${count}`)
        .join(' ');
      console.log(
        `| (2) ${CONCURRENCY} at once, round ${i + 1} | – | – | ${round.wall} | ${round.slowest.toFixed(0)} | ${statuses} | ${round.peakRss.toFixed(0)} | ${round.peakCount} |`,
      );
    }
    const worst = rounds.reduce((a, b) => (b.peakRss > a.peakRss ? b : a));
    const growth = rounds[rounds.length - 1].peakRss - rounds[0].peakRss;
    console.log('');
    console.log(
      `ratios to (1): wall of ${CONCURRENCY} at once / one alone = ${(median(rounds.map((r) => r.wall)) / p50).toFixed(2)}x (${CONCURRENCY} in sequence would be ${CONCURRENCY}.00x);` +
        ` peak RSS ${(worst.peakRss / aloneUse.peakRss).toFixed(2)}x; Chromium processes ${Math.max(...rounds.map((r) => r.peakCount))} vs ${aloneUse.peakCount}`,
    );
    console.log(
      `peak RSS change from round 1 to round ${ROUNDS}: ${growth >= 0 ? '+' : ''}${growth.toFixed(0)} MB; Chromium processes after the rounds: ${after}`,
    );
    console.log(
      'targets: warm p50 < 1000 ms; Chromium process count bounded (not growing with concurrency); peak RSS not growing round by round',
    );
  } finally {
    if (app !== null) await app.stop();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
