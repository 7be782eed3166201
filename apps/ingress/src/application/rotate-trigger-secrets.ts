import type { Keyring } from '@horizon/keyring';
import type { WebhookTriggerRepository } from '../persistence/webhook-trigger.repository';
import { openTriggerSecret, sealedAs } from './webhook-triggers';

/**
 * Re-seals every trigger secret under the keyring's current key (tools/rotate-encryption-key.ts),
 * so the old key can leave the ring once `remaining` is 0. Safe to run again.
 */
export async function rotateTriggerSecrets(
  repository: WebhookTriggerRepository,
  keyring: Keyring,
  batchSize = 100,
): Promise<{ rotated: number; remaining: number }> {
  const current = keyring.currentKeyId;
  let rotated = 0;
  let after: string | undefined;
  for (;;) {
    const rows = await repository.sealedNotUnder(current, batchSize, after);
    if (rows.length === 0) break;
    for (const row of rows) {
      const sealed = keyring.seal(openTriggerSecret(keyring, row), sealedAs(row.id));
      const done = await repository.reseal(row.id, row.secretKeyId, {
        secretKeyId: sealed.keyId,
        secretCiphertext: sealed.ciphertext,
        secretIv: sealed.iv,
        secretAuthTag: sealed.authTag,
      });
      if (done) rotated += 1;
    }
    after = rows[rows.length - 1]!.id;
  }
  return { rotated, remaining: await repository.countSealedNotUnder(current) };
}
