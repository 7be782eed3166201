import { spawn } from 'node:child_process';
import { chown, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExposedPort } from '../driver';
import { hostTools } from '../host/probe';
import { joinCgroupsThenExec } from './bwrap-args';
import { waitForReady } from './sandbox-inside';

export interface PortForwardSpec {
  /** Host pid of the sandbox's init: its network namespace is the one entered. */
  initPid: number;
  /** The sandbox's cgroups: the forwarder is one of its processes, killed and frozen with it. */
  procsFiles: readonly string[];
  /** The unprivileged host uid/gid the forwarder drops to once inside the namespace. */
  uid: number;
  gid: number;
  /** The host copy of `egress/forwarder.js`, readable by that uid. */
  forwarder: string;
  /** A folder of the sandbox's that is never bound inside it; the sockets go there. */
  dir: string;
}

const maxSocketPathBytes = 107;

/** bind() takes at most 107 bytes; a longer path would silently be cut short. */
export function checkSocketPath(path: string): void {
  if (Buffer.byteLength(path) > maxSocketPathBytes)
    throw new Error(
      `socket path ${path} is ${Buffer.byteLength(path)} bytes, over the ${maxSocketPathBytes} a Unix socket allows: use a shorter sandbox id or TMPDIR`,
    );
}

/**
 * One sandbox's exposed ports (`SandboxDriver.exposePort`): one forwarder per port, shared by
 * every caller (kept as the promise, so concurrent calls share it too), closed with the sandbox.
 */
export class ExposedPorts {
  private readonly byPort = new Map<number, Promise<ExposedPort>>();

  constructor(private readonly spec: PortForwardSpec) {}

  expose(port: number): Promise<ExposedPort> {
    if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`invalid port ${port}`);
    const known = this.byPort.get(port);
    if (known) return known;
    const forget = () => this.byPort.get(port) === exposed && this.byPort.delete(port);
    const exposed = forwardPort(this.spec, port).then((forward) => ({
      socketPath: forward.socketPath,
      close: () => {
        forget();
        return forward.close();
      },
    }));
    this.byPort.set(port, exposed);
    // A forwarder that failed to start is forgotten, so asking again tries again.
    exposed.catch(forget);
    return exposed;
  }

  async closeAll(): Promise<void> {
    for (const exposed of [...this.byPort.values()]) await (await exposed.catch(() => null))?.close();
  }
}

/**
 * Exposes `127.0.0.1:<port>` of a sandbox's network namespace as a host Unix socket. The
 * forwarder enters only the network namespace: it stays in the host's mount namespace, so the
 * socket it listens on is a host file, in a folder the sandbox cannot see (so cannot swap the
 * socket for a link to anything else). No host port is opened, and nothing but this one port of
 * this one sandbox is reachable through it. Root (the egress proxy) connects whatever its mode.
 */
async function forwardPort(spec: PortForwardSpec, port: number): Promise<ExposedPort> {
  const socketPath = join(spec.dir, `${port}.sock`);
  checkSocketPath(socketPath);
  await mkdir(spec.dir, { recursive: true, mode: 0o700 });
  // The forwarder runs as the sandbox uid and creates the socket there.
  await chown(spec.dir, spec.uid, spec.gid);
  await rm(socketPath, { force: true });
  const command = joinCgroupsThenExec(spec.procsFiles, [
    hostTools.nsenter, '--target', String(spec.initPid), '--net', '--',
    hostTools.setpriv, '--reuid', String(spec.uid), '--regid', String(spec.gid), '--clear-groups', '--no-new-privs',
    process.execPath, spec.forwarder, socketPath, `127.0.0.1:${port}`,
  ]); // prettier-ignore
  const child = spawn(command[0]!, command.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {},
    cwd: '/',
  });
  try {
    await waitForReady(child, `the forwarder of port ${port}`);
  } catch (error) {
    await rm(socketPath, { force: true });
    throw error;
  }
  const close = async (): Promise<void> => {
    // Not waited for: in a paused sandbox (cgroup v1 freezer) it dies only once thawed or
    // destroyed. Without its path the socket is unreachable at once.
    child.kill('SIGKILL');
    await rm(socketPath, { force: true });
  };
  return { socketPath, close };
}
