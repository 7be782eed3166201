// A data directory and the database holding its state belong together: the forge's repositories,
// the demo's record and the sign-in secrets live under .horizon/, their rows in Postgres. Each data
// directory carries an installation id; its database is stamped with that id on first use, and a
// database stamped with another id is refused at start with what to do. Without a DATABASE_URL the
// bootstrap names the database after the id, so `rm -rf .horizon` starts over on a fresh database
// and two checkouts on one Postgres never share one.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DATA_DIR, fail } from './stack.mjs';

const ID_FILE = path.join(DATA_DIR, 'installation');

function readId(dir) {
  try {
    const id = fs.readFileSync(path.join(dir, 'installation'), 'utf8').trim();
    return /^[a-z0-9]{8}$/.test(id) ? id : null;
  } catch {
    return null; // a fresh data directory
  }
}

/** This data directory's installation id, made on first use. */
export function installationId() {
  const existing = readId(DATA_DIR);
  if (existing) return existing;
  const id = randomBytes(4).toString('hex');
  fs.mkdirSync(DATA_DIR, { recursive: true });
  fs.writeFileSync(ID_FILE, `${id}\n`);
  return id;
}

/** The database a data directory gets when DATABASE_URL does not name one. */
export function installationDatabase(id) {
  return `horizon_${id}`;
}

/**
 * Stamps the database at `url` with this installation when unstamped; fails, saying what to do,
 * when another data directory's installation stamped it. The stamp is a database-level setting
 * (ALTER DATABASE … SET), which CREATE DATABASE … TEMPLATE does not copy to test clones.
 */
export async function claimDatabase(pg, url, id) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT current_database() AS db, current_setting('horizon.installation', true) AS id,
              current_setting('horizon.data_dir', true) AS dir`,
    );
    const { db, id: owner, dir } = rows[0];
    if (!owner) {
      try {
        await client.query(`ALTER DATABASE "${db}" SET horizon.installation = ${client.escapeLiteral(id)}`);
        await client.query(`ALTER DATABASE "${db}" SET horizon.data_dir = ${client.escapeLiteral(DATA_DIR)}`);
      } catch (err) {
        fail(
          `cannot stamp database ${db} as the one of ${DATA_DIR}: ${err.message}`,
          `let DATABASE_URL connect as the database's owner (ALTER DATABASE needs it), or unset it`,
        );
      }
      return;
    }
    if (owner === id) return;
    const dropIt = `drop it (psql -d postgres -c 'DROP DATABASE "${db}"') or point DATABASE_URL at a new database`;
    fail(
      `database ${db} holds the state of another data directory (installation ${owner}, ${dir}), ` +
        `not of ${DATA_DIR} (installation ${id}): its repositories and records would not match`,
      readId(dir) === owner
        ? `to go on with that state, use its data directory (HORIZON_DATA_DIR=${dir}); to start over, ${dropIt}`
        : `that data directory was removed or started over, so the state cannot be used again: ${dropIt}`,
    );
  } finally {
    await client.end();
  }
}

/**
 * The JetStream stream prefix of this data directory's services: `HZN_STREAM_PREFIX` when set,
 * else the one recorded in stack.json, else `horizon_<installation>` — so two checkouts on one
 * NATS never consume each other's events, as they never share a database. An installation made
 * before prefixes were recorded keeps the unprefixed streams that hold its events.
 */
export function installationStreamPrefix(stack, id, env = process.env) {
  if (env.HZN_STREAM_PREFIX !== undefined) return env.HZN_STREAM_PREFIX;
  if (stack.streamPrefix !== undefined) return stack.streamPrefix;
  return stack.installation === id ? '' : `horizon_${id}`;
}
