import { randomUUID } from 'node:crypto';
import { BadRequestException } from '@nestjs/common';
import { derivedUuid } from '../domain/derived-uuid';

/**
 * The id of what a request creates: derived from the token and its `Idempotency-Key` when it
 * has one (a retry finds what its first copy made), else new.
 */
export function idFor(tokenId: string, idempotencyKey: string | undefined, ...scope: string[]): string {
  if (idempotencyKey === undefined) return randomUUID();
  if (idempotencyKey.length === 0 || idempotencyKey.length > 200)
    throw new BadRequestException({ error: 'Idempotency-Key must hold 1 to 200 characters' });
  return derivedUuid(tokenId, ...scope, idempotencyKey);
}
