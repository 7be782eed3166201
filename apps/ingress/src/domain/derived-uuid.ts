import { createHash } from 'node:crypto';

/**
 * A UUID (version 8, name-based) derived from its parts: the same parts always name the same
 * thing, so a retried request or a replayed delivery finds what its first copy created.
 */
export function derivedUuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
