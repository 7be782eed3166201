#!/usr/bin/env node
// A deployment's database step (the `migrate` image: a Kubernetes Job, a one-shot compose
// service), run before each release's services: applies prisma/migrations with the owner's
// DATABASE_URL, then gives each service's login role (hzn_<schema>, created by the migrations
// without a password) the password found in that service's own URL, <SERVICE>_DATABASE_URL —
// the URL the service itself is given — so each password is written down in one place only.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { SERVICES } from './lib/services.mjs';
import { ROOT, fail, step } from './lib/stack.mjs';

/** `{ role, password, variable }` for each service whose URL is set. */
export function rolePasswords(env) {
  return SERVICES.flatMap((service) => {
    const variable = `${service.portVar.replace(/_PORT$/, '')}_DATABASE_URL`;
    if (!env[variable]) return [];
    const url = new URL(env[variable]);
    const role = `hzn_${service.schema}`;
    if (decodeURIComponent(url.username) !== role)
      throw new Error(`${variable} connects as "${url.username}": it must be the service's role ${role}`);
    if (!url.password)
      throw new Error(`${variable} has no password: put one in the URL (${role}:PASSWORD@…)`);
    return [{ role, password: decodeURIComponent(url.password), variable }];
  });
}

export async function migrate(env = process.env, log = step) {
  if (!env.DATABASE_URL) throw new Error("DATABASE_URL (the database owner's URL) is not set");
  const passwords = rolePasswords(env);
  log('applying migrations…');
  const res = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'prisma', 'build', 'index.js'), 'migrate', 'deploy'],
    { cwd: ROOT, env, encoding: 'utf8' },
  );
  if (res.status !== 0)
    throw new Error(
      `prisma migrate deploy exited with ${res.status}: ${`${res.stderr}${res.stdout}`.trim()}`,
    );
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    for (const { role, password } of passwords) {
      // ALTER ROLE takes no bind parameters: the password goes in as a quoted literal.
      const { rows } = await client.query('SELECT quote_literal($1::text) AS literal', [password]);
      await client.query(`ALTER ROLE "${role}" PASSWORD ${rows[0].literal}`);
    }
  } finally {
    await client.end();
  }
  log(`migrated; passwords set for ${passwords.map((p) => p.role).join(', ') || 'no role'}`);
  return passwords.map((p) => p.role);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  migrate().catch((err) =>
    fail(`the database step: ${err.message}`, 'check DATABASE_URL and the <SERVICE>_DATABASE_URL settings'),
  );
}
