// Shared by the bootstrap, `npm start` and `npm test`: where the data directory is and what
// the bootstrap found. Plain Node, no dependencies: it runs before node_modules exists.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DATA_DIR = path.resolve(ROOT, process.env.HORIZON_DATA_DIR ?? '.horizon');
export const STACK_FILE = path.join(DATA_DIR, 'stack.json');

export function readStack() {
  try {
    return JSON.parse(fs.readFileSync(STACK_FILE, 'utf8'));
  } catch {
    return null;
  }
}

export function writeStack(stack) {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  fs.writeFileSync(STACK_FILE, JSON.stringify(stack, null, 2) + '\n');
}

/** The environment services and tests run with: the caller's, completed by what the bootstrap found. */
export function stackEnv() {
  const stack = readStack();
  if (!stack) {
    console.error(`horizon: ${STACK_FILE} is missing: run \`npm run bootstrap\` first.`);
    process.exit(1);
  }
  return {
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL ?? stack.databaseUrl,
    NATS_URL: process.env.NATS_URL ?? stack.natsUrl,
    HORIZON_DATA_DIR: DATA_DIR,
  };
}

export function step(message) {
  process.stdout.write(`[horizon] ${message}\n`);
}

export function fail(what, todo) {
  process.stderr.write(`[horizon] FAILED: ${what}\n[horizon] what to do: ${todo}\n`);
  process.exit(1);
}
