'use strict';
// `forwarder.js <listen> <connect>`: accepts connections on one endpoint and pipes each to a new
// connection to the other. An endpoint is a Unix socket path (starting with `/`) or `host:port`.
// Two uses: the sandbox's first process exposes the egress proxy's socket (bound in) as
// 127.0.0.1:3128, and the host reaches a port inside a sandbox's network namespace (entered
// with nsenter) through a socket of its own. It runs on the bare node binary with nothing else,
// so it is plain JavaScript, not compiled on the way in. Prints `ready` once listening.
const net = require('node:net');

/** `{ path }` for a socket path, `{ host, port }` for `host:port` (`[::1]:80` for IPv6). */
function endpoint(text) {
  if (text.startsWith('/')) return { path: text };
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(text);
  if (!match) return null;
  return { host: match[1], port: Number(match[2]) };
}

const [listen, connect] = process.argv.slice(2).map((text) => (text ? endpoint(text) : null));
if (!listen || !connect) {
  process.stderr.write('usage: forwarder.js <socket path | host:port> <socket path | host:port>\n');
  process.exit(2);
}

const server = net.createServer((client) => {
  const upstream = net.connect(connect);
  client.pipe(upstream).pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
});

server.listen(listen, () => process.stdout.write('ready\n'));
