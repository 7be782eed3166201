import net from 'node:net';

export interface TunnelEnd {
  established: boolean;
  bytesIn: number;
  bytesOut: number;
}

/**
 * The tunnel of an allowed CONNECT: connects to `host:port`, answers 200 once it is up and pipes
 * both ways (`head`, what the client sent early, first). `count` sees every chunk and cuts the
 * tunnel by returning false (the run's byte budget); `onEnd` is told once it has closed.
 */
export function openTunnel(
  client: net.Socket,
  head: Buffer,
  target: { host: string; port: number },
  count: (bytes: number) => boolean,
  onEnd: (end: TunnelEnd) => void,
): void {
  const end: TunnelEnd = { established: false, bytesIn: 0, bytesOut: 0 };
  const upstream = net.connect(target.port, target.host);
  const counted = (direction: 'bytesIn' | 'bytesOut') => (chunk: Buffer) => {
    end[direction] += chunk.length;
    if (!count(chunk.length)) {
      upstream.destroy();
      client.destroy();
    }
  };
  upstream.once('connect', () => {
    end.established = true;
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) upstream.write(head);
    upstream.on('data', counted('bytesIn'));
    client.on('data', counted('bytesOut'));
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', () => {
    if (!end.established) client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    else client.destroy();
  });
  client.on('error', () => upstream.destroy());
  upstream.once('close', () => {
    client.destroy();
    onEnd(end);
  });
}
