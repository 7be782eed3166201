import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

/** How often an idle stream sends a comment, so proxies and browsers keep it open. */
const HEARTBEAT_MS = 15_000;

/**
 * Takes the response over from Fastify and begins a Server-Sent Events stream on it, with a
 * heartbeat; `onClose` runs once the browser goes away. The caller writes the events.
 */
export function openEventStream(reply: FastifyReply, onClose: () => void): ServerResponse {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // Tells nginx-style proxies not to buffer the stream.
    'x-accel-buffering': 'no',
  });
  res.write(': connected\n\n');
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  res.on('close', () => {
    clearInterval(heartbeat);
    onClose();
  });
  return res;
}
