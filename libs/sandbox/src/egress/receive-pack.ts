/**
 * Reads the ref-update commands at the start of a git smart-HTTP receive-pack request body
 * (pkt-lines up to the first flush, then the pack). Enough to decide a push before any of it
 * reaches the forge; anything it does not understand is refused, not waved through.
 */
export type ReceivePackPrefix =
  { state: 'incomplete' } | { state: 'complete'; refs: string[] } | { state: 'malformed'; reason: string };

export const maxCommandBytes = 1024 * 1024;

export function parseReceivePackCommands(body: Buffer): ReceivePackPrefix {
  const refs: string[] = [];
  let offset = 0;
  while (offset + 4 <= body.length) {
    const lengthHex = body.subarray(offset, offset + 4).toString('latin1');
    if (!/^[0-9a-f]{4}$/.test(lengthHex))
      return { state: 'malformed', reason: `bad pkt-line length "${lengthHex}"` };
    const length = parseInt(lengthHex, 16);
    if (length === 0)
      return refs.length > 0 ? { state: 'complete', refs } : { state: 'malformed', reason: 'no commands' };
    if (length < 4) return { state: 'malformed', reason: `reserved pkt-line length ${length}` };
    if (offset + length > body.length) break;
    const line = body
      .subarray(offset + 4, offset + length)
      .toString('utf8')
      .split('\0')[0]!
      .replace(/\n$/, '');
    offset += length;
    if (line.startsWith('shallow ')) continue;
    const command = /^[0-9a-f]{40,64} [0-9a-f]{40,64} (refs\/\S+)$/.exec(line);
    if (!command) return { state: 'malformed', reason: `unexpected command "${line.slice(0, 80)}"` };
    refs.push(command[1]!);
  }
  return body.length > maxCommandBytes
    ? { state: 'malformed', reason: 'command list too long' }
    : { state: 'incomplete' };
}
