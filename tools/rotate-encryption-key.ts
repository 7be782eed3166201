// Re-seals every sealed secret under the current encryption key: identity-broker's Credential
// rows and ingress's webhook trigger secrets.
//
//   HORIZON_ENCRYPTION_KEYS=old:<base64>,new:<base64> HORIZON_ENCRYPTION_KEY_ID=new \
//     node -r @swc-node/register tools/rotate-encryption-key.ts
//
// Rows sealed under any key in the ring are opened and sealed again under the current one;
// rows already under it are left alone, so it can be run again after an interruption. When it
// reports `remaining=0`, the old key can leave the ring. See docs/identity.md.
import { parseConfig } from '@horizon/config';
import { createDatabase } from '@horizon/db';
import { configShape } from '../apps/identity-broker/src/config';
import { CredentialStore } from '../apps/identity-broker/src/persistence/credential-store';
import { loadKeyring } from '@horizon/keyring';
import { rotateTriggerSecrets } from '../apps/ingress/src/application/rotate-trigger-secrets';
import { WebhookTriggerRepository } from '../apps/ingress/src/persistence/webhook-trigger.repository';

async function main(): Promise<void> {
  const config = parseConfig(configShape);
  const keyring = loadKeyring(config, (message) => process.stderr.write(`${message}\n`));
  const identity = createDatabase(config.DATABASE_URL, 2, 'identity');
  const ingress = createDatabase(config.DATABASE_URL, 2, 'ingress');
  try {
    const credentials = await new CredentialStore(identity.prisma, keyring).rotate();
    const triggers = await rotateTriggerSecrets(new WebhookTriggerRepository(ingress.prisma), keyring);
    const rotated = credentials.rotated + triggers.rotated;
    const remaining = credentials.remaining + triggers.remaining;
    process.stdout.write(
      `rotate-encryption-key: key=${keyring.currentKeyId} rotated=${rotated} remaining=${remaining}\n`,
    );
    if (remaining > 0) process.exitCode = 1;
  } finally {
    await Promise.all([identity.close(), ingress.close()]);
  }
}

main().catch((err: Error) => {
  process.stderr.write(`rotate-encryption-key: ${err.message}\n`);
  process.exit(1);
});
