'use strict';
// Runs inside the sandbox as its first process, with the system's node and nothing else:
// exposes the egress proxy's Unix socket (bound in) as 127.0.0.1:<port>, so HTTP_PROXY and
// HTTPS_PROXY work for every tool. Plain JavaScript because it is not compiled on the way in.
const net = require('node:net');

const [socketPath, port] = process.argv.slice(2);
if (!socketPath || !port) {
  process.stderr.write('usage: forwarder.js <socket> <port>\n');
  process.exit(2);
}

const server = net.createServer((client) => {
  const upstream = net.connect(socketPath);
  client.pipe(upstream).pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
});

server.listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
