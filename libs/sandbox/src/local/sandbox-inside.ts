import type { ChildProcess } from 'node:child_process';
import { lstat, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SANDBOX_TOOL_ENV, type SandboxHandle } from '../driver';
import { systemTopLevel, type SystemPath } from './bwrap-args';

// What a local sandbox's processes see from inside: their environment, the /etc files bwrap
// binds in, the system paths it mirrors, and the init's start-up handshake.

/** The environment of every process in the sandbox: a fixed base, the proxy, then the run's own. */
export function sandboxEnv(handle: SandboxHandle, env: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: '/home/sandbox',
    USER: 'sandbox',
    LANG: 'C.UTF-8',
    TMPDIR: '/tmp',
    HORIZON_SANDBOX_ID: handle.id,
    HORIZON_SANDBOX_FLAVOUR: handle.flavour,
    ...SANDBOX_TOOL_ENV,
  };
  const proxy = handle.proxyUrl;
  const proxyEnv: Record<string, string> = proxy
    ? {
        HTTP_PROXY: proxy,
        HTTPS_PROXY: proxy,
        http_proxy: proxy,
        https_proxy: proxy,
        NO_PROXY: '127.0.0.1,localhost',
        no_proxy: '127.0.0.1,localhost',
      }
    : {};
  return { ...base, ...proxyEnv, ...env };
}

/** passwd, group, hosts and hostname naming the unprivileged user the sandbox runs as. */
export async function writeSandboxEtc(etc: string, uid: number, gid: number): Promise<void> {
  const files = {
    passwd: `root:x:0:0::/nonexistent:/usr/sbin/nologin\nsandbox:x:${uid}:${gid}::/home/sandbox:/bin/sh\n`,
    group: `root:x:0:\nsandbox:x:${gid}:\n`,
    hosts: '127.0.0.1\tlocalhost sandbox\n::1\tlocalhost\n',
    hostname: 'sandbox\n',
  };
  for (const [name, content] of Object.entries(files))
    await writeFile(join(etc, name), content, { mode: 0o644 });
}

/** Reads bwrap's --info-fd JSON for the host pid of the sandbox, then the init's "ready" line. */
export async function waitForInit(init: ChildProcess): Promise<number> {
  const info = (async () => {
    let text = '';
    for await (const chunk of init.stdio[3] as NodeJS.ReadableStream) text += chunk.toString();
    const pid = (JSON.parse(text) as { 'child-pid'?: number })['child-pid'];
    if (!pid) throw new Error(`bwrap reported no child pid: ${text}`);
    return pid;
  })();
  const [pid] = await Promise.all([info, waitForReady(init, 'sandbox init')]);
  return pid;
}

/**
 * Resolves once the process prints its `ready` line (the sandbox's init, a port forwarder);
 * rejects with its stderr when it exits first. Its output is drained afterwards.
 */
export async function waitForReady(child: ChildProcess, what: string): Promise<void> {
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let ready = false;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => {
      if (!ready) reject(new Error(`${what} exited with ${code} before it was ready: ${stderr.trim()}`));
    }),
  );
  const readyLine = (async () => {
    for await (const line of createInterface({ input: child.stdout! })) if (line === 'ready') return;
    // Output closed without the line: the process died (its exit carries the reason).
    await new Promise(() => undefined);
  })();
  await Promise.race([readyLine, exited]);
  ready = true;
  child.stdout!.resume();
}

export async function readSystemPaths(): Promise<SystemPath[]> {
  const paths: SystemPath[] = [];
  for (const path of systemTopLevel) {
    const stat = await lstat(path).catch(() => null);
    if (stat?.isSymbolicLink()) paths.push({ path, kind: 'symlink', target: await readlink(path) });
    else if (stat?.isDirectory()) paths.push({ path, kind: 'dir' });
  }
  return paths;
}
