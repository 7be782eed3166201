import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { STREAMS } from '@horizon/messaging';
import type { JetStreamConnection, StreamKey } from '@horizon/messaging';

export interface Secret {
  name: string;
  value: string;
}

export interface SecretFinding {
  /** Relative to the scanned root. */
  file: string;
  secret: string;
}

/** The files an installation keeps its own secrets in (each 0600 under the data directory). */
export const DATA_DIR_SECRET_FILES = ['forge.token', 'encryption.key', 'mcp-token.key'] as const;

/** The secrets a data directory holds, read from their files (those that exist). */
export function dataDirSecrets(dataDir: string): Secret[] {
  return DATA_DIR_SECRET_FILES.flatMap((name) => {
    const file = path.join(dataDir, name);
    if (!fs.existsSync(file)) return [];
    return [{ name, value: fs.readFileSync(file, 'utf8').trim() }];
  });
}

/**
 * Every file under `root` (logs, transcripts, artifacts, sandboxes, the broker's and the
 * database's own files) read as bytes and searched for each secret's value, except the files
 * that hold a secret by design. A secret shorter than 16 characters is refused: it would match
 * by chance and prove nothing.
 */
export function scanForSecrets(
  root: string,
  secrets: readonly Secret[],
  options: { skip?: readonly string[] } = {},
): SecretFinding[] {
  for (const s of secrets)
    if (s.value.length < 16) throw new RangeError(`secret ${s.name} is too short to scan for`);
  const skip = new Set((options.skip ?? DATA_DIR_SECRET_FILES).map((f) => path.resolve(root, f)));
  const needles = secrets.map((s) => ({ name: s.name, bytes: Buffer.from(s.value, 'utf8') }));
  const findings: SecretFinding[] = [];
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile() && !skip.has(full)) {
        const content = readIfPresent(full);
        for (const n of needles)
          if (content?.includes(n.bytes)) findings.push({ file: path.relative(root, full), secret: n.name });
      }
    }
  };
  visit(root);
  return findings;
}

/** A file removed while the scan walks (a socket, a lock a service let go) is not a finding. */
function readIfPresent(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'ENXIO') return null;
    throw err;
  }
}

/**
 * Every message still held in the connection's streams (events, ingress deliveries, dead
 * letters; a work queue's acknowledged commands are gone), body and headers, searched for each
 * secret: event payloads must carry none.
 */
export async function scanStreamsForSecrets(
  conn: JetStreamConnection,
  secrets: readonly Secret[],
): Promise<SecretFinding[]> {
  const findings: SecretFinding[] = [];
  for (const key of Object.keys(STREAMS) as StreamKey[]) {
    const stream = conn.naming.stream(key);
    const info = await conn.jsm.streams.info(stream).catch(() => null);
    if (!info || info.state.messages === 0) continue;
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const msg = await conn.jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (!msg) continue; // deleted in between (a work queue's ack)
      const text = Buffer.from(msg.data).toString('utf8') + (msg.header ? String(msg.header) : '');
      for (const s of secrets)
        if (text.includes(s.value))
          findings.push({ file: `${stream}#${seq} (${msg.subject})`, secret: s.name });
    }
  }
  return findings;
}

/**
 * The database's rows (`pg_dump --data-only`, every schema), table by table, searched for each
 * secret: credentials are sealed and tokens hashed at rest, so none may appear in plain text.
 */
export function scanDatabaseForSecrets(databaseUrl: string, secrets: readonly Secret[]): SecretFinding[] {
  const dump = execFileSync('pg_dump', ['--data-only', '--no-owner', '--no-privileges', databaseUrl], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const findings: SecretFinding[] = [];
  for (const section of dump.split(/^(?=COPY )/m)) {
    const table = /^COPY (\S+)/.exec(section)?.[1];
    if (!table) continue;
    for (const s of secrets) if (section.includes(s.value)) findings.push({ file: table, secret: s.name });
  }
  return findings;
}
