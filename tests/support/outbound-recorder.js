// Preloaded into a process (NODE_OPTIONS="--require <this file>") to record — and refuse — every attempt to reach
// anything but this machine: a TCP or TLS connection (net.Socket#connect, which http, https, fetch and pg all use) to an
// address outside the loopback range or to a host name other than localhost, and a DNS look-up of such a name. The
// attempt is written as one JSON line to OUTBOUND_LOG and fails as an unreachable host would, so nothing ever leaves
// the machine, even when something tries. Unix sockets and loopback connections go through untouched. On load it
// writes {"kind":"armed"} so that a test knows the process was watched. Used by tests/integration/offline.test.ts.
const fs = require('fs');
const net = require('net');
const dns = require('dns');

const LOG = process.env.OUTBOUND_LOG;

function record(kind, target) {
  if (!LOG) return;
  const stack = (new Error().stack || '')
    .split('\n')
    .slice(3, 12)
    .map((line) => line.trim());
  fs.appendFileSync(LOG, `${JSON.stringify({ kind, target, pid: process.pid, stack })}\n`);
}

function isLoopbackHost(host) {
  if (host === undefined || host === null || host === '' || host === 'localhost') return true;
  const bare = String(host)
    .replace(/^\[|\]$/g, '')
    .toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  if (net.isIPv6(bare)) return bare === '::1' || /^::ffff:127\./.test(bare);
  return false;
}

function unreachable(target) {
  const error = new Error(`connect EHOSTUNREACH ${target} (refused by tests/support/outbound-recorder.js)`);
  error.code = 'EHOSTUNREACH';
  return error;
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  let options = args[0];
  if (Array.isArray(options)) options = options[0];
  let host;
  let port;
  let isPath = false;
  if (options !== null && typeof options === 'object') {
    isPath = typeof options.path === 'string';
    host = options.host;
    port = options.port;
  } else if (typeof options === 'string' && !/^\d+$/.test(options)) {
    isPath = true;
  } else {
    port = options;
    host = typeof args[1] === 'string' ? args[1] : undefined;
  }
  if (isPath || isLoopbackHost(host)) return connect.apply(this, args);
  const target = `${host}:${port}`;
  record('connect', target);
  process.nextTick(() => this.destroy(unreachable(target)));
  return this;
};

function guardLookup(original, promise) {
  return function guardedLookup(hostname, ...rest) {
    if (isLoopbackHost(hostname)) return original.call(this, hostname, ...rest);
    record('dns', String(hostname));
    const error = Object.assign(
      new Error(`getaddrinfo ENOTFOUND ${hostname} (refused by tests/support/outbound-recorder.js)`),
      { code: 'ENOTFOUND', hostname },
    );
    if (promise) return Promise.reject(error);
    const callback = rest.find((arg) => typeof arg === 'function');
    if (callback) process.nextTick(() => callback(error));
    return undefined;
  };
}

dns.lookup = guardLookup(dns.lookup, false);
dns.promises.lookup = guardLookup(dns.promises.lookup, true);
for (const name of [
  'resolve',
  'resolve4',
  'resolve6',
  'resolveAny',
  'resolveCname',
  'resolveMx',
  'resolveTxt',
  'resolveSrv',
]) {
  if (typeof dns[name] === 'function') dns[name] = guardLookup(dns[name], false);
  if (typeof dns.promises[name] === 'function') dns.promises[name] = guardLookup(dns.promises[name], true);
}

if (LOG) fs.appendFileSync(LOG, `${JSON.stringify({ kind: 'armed', pid: process.pid })}\n`);
