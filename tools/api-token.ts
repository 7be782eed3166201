// Work API tokens: `create` prints the token once (only its SHA-256 is stored), `list`, `revoke`.
//   node -r @swc-node/register tools/api-token.ts create --name <name> [--scope work:read] [--scope work:write] [--expires-days N]
//   node -r @swc-node/register tools/api-token.ts list
//   node -r @swc-node/register tools/api-token.ts revoke <id>
// Reads DATABASE_URL (default: the local stack's).
import { parseArgs } from 'node:util';
import { baseConfig, loadConfigOrExit } from '@horizon/config';
import { createDatabase } from '@horizon/db';
import { API_SCOPES, ApiScope, ApiTokens } from '../apps/ingress/src/application/api-tokens';
import { ApiTokenRepository } from '../apps/ingress/src/persistence/api-token.repository';

const USAGE = `usage: api-token.ts create --name <name> [--scope ${API_SCOPES.join('|')}]… [--expires-days N] | list | revoke <id>`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      scope: { type: 'string', multiple: true },
      'expires-days': { type: 'string' },
    },
  });
  const [command, id] = positionals;
  const { DATABASE_URL } = loadConfigOrExit({ DATABASE_URL: baseConfig.DATABASE_URL });
  const db = createDatabase(DATABASE_URL, 1, 'ingress');
  const repository = new ApiTokenRepository(db.prisma);
  const tokens = new ApiTokens(repository);
  try {
    if (command === 'create' && values.name) {
      const days = values['expires-days'] === undefined ? undefined : Number(values['expires-days']);
      if (days !== undefined && !(days > 0)) throw new Error('--expires-days must be a positive number');
      const created = await tokens.create({
        name: values.name,
        scopes: (values.scope ?? [...API_SCOPES]) as ApiScope[],
        expiresAt: days === undefined ? null : new Date(Date.now() + days * 86_400_000),
      });
      process.stderr.write(
        `token ${created.id} "${created.name}" scopes ${created.scopes.join(',')}${created.expiresAt ? ` expires ${created.expiresAt.toISOString()}` : ''}\n`,
      );
      process.stderr.write('the token is shown once; store it now:\n');
      process.stdout.write(`${created.token}\n`);
      return 0;
    }
    if (command === 'list') {
      const rows = await repository.list();
      for (const t of rows) {
        const state = t.revokedAt
          ? 'revoked'
          : t.expiresAt && t.expiresAt <= new Date()
            ? 'expired'
            : 'active';
        process.stdout.write(
          `${t.id}  ${state.padEnd(7)}  ${t.scopes.join(',').padEnd(20)}  ${t.name}  last used ${t.lastUsedAt?.toISOString() ?? 'never'}\n`,
        );
      }
      return 0;
    }
    if (command === 'revoke' && id) {
      const revoked = await tokens.revoke(id);
      process.stdout.write(revoked ? `revoked ${id}\n` : `no active token ${id}\n`);
      return revoked ? 0 : 1;
    }
    process.stderr.write(`${USAGE}\n`);
    return 64;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`api-token: ${err.message}\n`);
    process.exit(1);
  },
);
