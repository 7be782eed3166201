// What `npm start` fills in when nothing is configured, so the whole loop runs with no
// accounts: the sandbox's forge is the local forge, its model the scripted model server, and
// its agents reach mcp-context. Anything the caller set wins.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DATA_DIR } from './stack.mjs';

export const MODEL_SERVER_PORT = 8070;

/** The forge's token file, created the way the forge creates it (`forgeToken` in apps/forge/src/config.ts) if missing. */
export function ensureForgeToken() {
  const file = path.join(DATA_DIR, 'forge.token');
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing) return existing;
  } catch {
    // first start
  }
  const token = `hzf_${randomBytes(24).toString('base64url')}`;
  fs.mkdirSync(DATA_DIR, { recursive: true });
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/** The environment every service gets, completed with the local defaults. */
export function localDefaults(env) {
  const out = { ...env };
  const forgePort = Number(env.FORGE_PORT || 8060);
  if (!env.SANDBOX_FORGE_URL) {
    out.SANDBOX_FORGE_URL = `http://127.0.0.1:${forgePort}`;
    if (!env.SANDBOX_FORGE_TOKEN && !env.FORGE_TOKEN) out.SANDBOX_FORGE_TOKEN = ensureForgeToken();
    else out.SANDBOX_FORGE_TOKEN = env.SANDBOX_FORGE_TOKEN || env.FORGE_TOKEN;
  }
  if (!env.FORGE_URL) out.FORGE_URL = `http://127.0.0.1:${forgePort}`;
  if (!env.MCP_CONTEXT_URL) out.MCP_CONTEXT_URL = `http://127.0.0.1:${Number(env.MCP_CONTEXT_PORT || 8090)}`;
  // A key names a real provider (anthropic and openai need no base URL); without one, the
  // scripted server plays the model on whichever wire SANDBOX_MODEL_PROVIDER picks.
  const scripted = !env.SANDBOX_MODEL_BASE_URL && !env.SANDBOX_MODEL_API_KEY;
  if (scripted) {
    const port = Number(env.MODEL_SERVER_PORT || MODEL_SERVER_PORT);
    out.SANDBOX_MODEL_BASE_URL = `http://127.0.0.1:${port}/v1`;
    out.SANDBOX_MODEL_API_KEY = 'scripted';
  }
  return { env: out, scripted };
}
