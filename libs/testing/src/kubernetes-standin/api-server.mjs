// A Kubernetes API server stand-in for the sandbox driver's tests (there is no cluster here), in
// its own process because kubernetes-models is ES modules only. It answers the core/v1 pod
// routes the driver uses as the real API does, in its wire format (objects, `Status` errors,
// codes), and refuses what the real one refuses:
// - every pod body is validated against the Kubernetes schema (kubernetes-models, generated
//   from the Kubernetes OpenAPI document): 422 Invalid;
// - a namespace named in KUBE_RESTRICTED_NAMESPACES enforces Pod Security "restricted", as
//   the deployed horizon-sandboxes does: 403 Forbidden naming the violations;
// - a name taken: 409 AlreadyExists; a pod not there: 404 NotFound.
// It plays the pod lifecycle: Pending, Running after KUBE_START_MS, Failed with reason
// DeadlineExceeded past activeDeadlineSeconds. POST /standin/oom/{namespace}/{name} makes the
// kernel's OOM killer end the pod's first container, as the kubelet would report it.
// pods/exec speaks the exec subresource's WebSocket protocol (v5.channel.k8s.io, v4 too): the
// command's streams on channels 0-2, its end as a Status on channel 3. The "container" is a
// process of this stand-in in the pod's own empty folder: the protocol is real, the isolation is
// not (the local driver's tests cover isolation).
// Prints {"url": ...} on stdout when ready.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Pod } from 'kubernetes-models/v1';
import { WebSocketServer } from 'ws';

const restricted = new Set((process.env.KUBE_RESTRICTED_NAMESPACES ?? '').split(',').filter(Boolean));
const startMs = Number(process.env.KUBE_START_MS ?? 100);
/** `${namespace}/${name}` → { pod, createdAt, oom } */
const pods = new Map();
let resourceVersion = 1;

const status = (code, reason, message, details) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  ...(details ? { details } : {}),
  code,
});

/** The checks of Pod Security "restricted" (pod-security.kubernetes.io) that a pod fails. */
function restrictedViolations(spec) {
  const problems = [];
  const pod = spec.securityContext ?? {};
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false)
      problems.push(
        `allowPrivilegeEscalation != false (container "${c.name}" must set securityContext.allowPrivilegeEscalation=false)`,
      );
    if (!(sc.capabilities?.drop ?? []).includes('ALL'))
      problems.push(
        `unrestricted capabilities (container "${c.name}" must set securityContext.capabilities.drop=["ALL"])`,
      );
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true)
      problems.push(
        `runAsNonRoot != true (container "${c.name}" must set securityContext.runAsNonRoot=true)`,
      );
    if ((sc.runAsUser ?? pod.runAsUser) === 0) problems.push(`runAsUser=0 (container "${c.name}")`);
    const seccomp = (sc.seccompProfile ?? pod.seccompProfile)?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
      problems.push(
        `seccompProfile (container "${c.name}" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`,
      );
    if (sc.privileged)
      problems.push(`privileged (container "${c.name}" must not set securityContext.privileged=true)`);
  }
  for (const v of spec.volumes ?? [])
    if (v.hostPath)
      problems.push(`restricted volume types (volume "${v.name}" uses restricted volume type "hostPath")`);
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) problems.push('host namespaces');
  return problems;
}

/** The pod as the API returns it now: its status follows the time since creation. */
function current(entry) {
  const { pod, createdAt, oom } = entry;
  const age = Date.now() - createdAt;
  const deadline = pod.spec.activeDeadlineSeconds;
  let phase = age >= startMs ? 'Running' : 'Pending';
  let reason;
  if (deadline !== undefined && age >= deadline * 1000) [phase, reason] = ['Failed', 'DeadlineExceeded'];
  const containerStatuses = pod.spec.containers.map((c, i) => ({
    name: c.name,
    image: c.image,
    imageID: '',
    ready: phase === 'Running' && !(oom && i === 0),
    restartCount: 0,
    state:
      oom && i === 0
        ? { terminated: { exitCode: 137, reason: 'OOMKilled' } }
        : phase === 'Running'
          ? { running: { startedAt: new Date(createdAt + startMs).toISOString() } }
          : { waiting: { reason: 'ContainerCreating' } },
  }));
  if (oom && pod.spec.restartPolicy === 'Never' && phase === 'Running') phase = 'Failed';
  return { ...pod, status: { phase, ...(reason ? { reason } : {}), containerStatuses } };
}

async function body(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

const server = http.createServer(async (req, res) => {
  const send = (code, object) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(object));
  };
  const url = new URL(req.url, 'http://standin');
  const oom = url.pathname.match(/^\/standin\/oom\/([^/]+)\/([^/]+)$/);
  if (oom && req.method === 'POST') {
    const entry = pods.get(`${oom[1]}/${oom[2]}`);
    if (!entry) return send(404, status(404, 'NotFound', `pods "${oom[2]}" not found`));
    entry.oom = true;
    return send(200, current(entry));
  }
  const match = url.pathname.match(/^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+))?$/);
  if (!match)
    return send(
      404,
      status(
        404,
        'NotFound',
        `the server could not find the requested resource (${req.method} ${url.pathname})`,
      ),
    );
  const [, namespace, name] = match;
  const key = `${namespace}/${name}`;
  if (req.method === 'POST' && !name) {
    let pod;
    try {
      pod = JSON.parse(await body(req));
    } catch (err) {
      return send(
        400,
        status(400, 'BadRequest', `the body of the request was in an unknown format: ${err.message}`),
      );
    }
    if (pod.kind !== 'Pod' || pod.apiVersion !== 'v1')
      return send(
        400,
        status(
          400,
          'BadRequest',
          `the API version in the data (${pod.apiVersion}) does not match the expected API version (v1)`,
        ),
      );
    if (pod.metadata?.namespace && pod.metadata.namespace !== namespace)
      return send(
        400,
        status(
          400,
          'BadRequest',
          'the namespace of the provided object does not match the namespace sent on the request',
        ),
      );
    try {
      new Pod(pod).validate();
    } catch (err) {
      return send(
        422,
        status(422, 'Invalid', `Pod "${pod.metadata?.name}" is invalid: ${err.message}`, {
          name: pod.metadata?.name,
          kind: 'pods',
        }),
      );
    }
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(pod.metadata?.name ?? '') || pod.metadata.name.length > 63)
      return send(
        422,
        status(
          422,
          'Invalid',
          `Pod "${pod.metadata?.name}" is invalid: metadata.name: Invalid value: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`,
        ),
      );
    if (restricted.has(namespace)) {
      const problems = restrictedViolations(pod.spec);
      if (problems.length)
        return send(
          403,
          status(
            403,
            'Forbidden',
            `pods "${pod.metadata.name}" is forbidden: violates PodSecurity "restricted:latest": ${problems.join(', ')}`,
          ),
        );
    }
    if (pods.has(`${namespace}/${pod.metadata.name}`))
      return send(409, status(409, 'AlreadyExists', `pods "${pod.metadata.name}" already exists`));
    const stored = {
      ...pod,
      metadata: {
        ...pod.metadata,
        namespace,
        uid: randomUUID(),
        resourceVersion: String(resourceVersion++),
        creationTimestamp: new Date().toISOString(),
      },
    };
    const entry = { pod: stored, createdAt: Date.now(), oom: false };
    pods.set(`${namespace}/${pod.metadata.name}`, entry);
    return send(201, current(entry));
  }
  if (req.method === 'GET' && name) {
    const entry = pods.get(key);
    return entry
      ? send(200, current(entry))
      : send(404, status(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' }));
  }
  if (req.method === 'DELETE' && name) {
    const entry = pods.get(key);
    if (!entry) return send(404, status(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' }));
    pods.delete(key);
    return send(200, current(entry));
  }
  send(
    405,
    status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`),
  );
});

const roots = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-standin-'));
process.on('SIGTERM', () => {
  fs.rmSync(roots, { recursive: true, force: true });
  process.exit(0);
});
const sockets = new WebSocketServer({
  noServer: true,
  handleProtocols: (offered) =>
    ['v5.channel.k8s.io', 'v4.channel.k8s.io'].find((p) => offered.has(p)) ?? false,
});

/** Refuses an upgrade the way the API server does: an HTTP answer with a Status body. */
function refuse(socket, code, reason, message) {
  const body = JSON.stringify(status(code, reason, message));
  socket.end(
    `HTTP/1.1 ${code} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url, 'http://standin');
  const match = url.pathname.match(/^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/);
  if (!match) return refuse(socket, 404, 'NotFound', `the server could not find the requested resource`);
  const entry = pods.get(`${match[1]}/${match[2]}`);
  if (!entry) return refuse(socket, 404, 'NotFound', `pods "${match[2]}" not found`);
  const pod = current(entry);
  const containerName = url.searchParams.get('container');
  const container = pod.spec.containers.find((c) => c.name === containerName);
  if (!container)
    return refuse(socket, 400, 'BadRequest', `container ${containerName} is not valid for pod ${match[2]}`);
  if (pod.status.phase !== 'Running')
    return refuse(socket, 400, 'BadRequest', `pod ${match[2]} is not running (${pod.status.phase})`);
  const command = url.searchParams.getAll('command');
  if (command.length === 0) return refuse(socket, 400, 'BadRequest', 'you must specify at least 1 command');
  sockets.handleUpgrade(req, socket, head, (ws) => execute(ws, entry, container, command));
});

function execute(ws, entry, container, command) {
  const root = path.join(roots, entry.pod.metadata.uid);
  fs.mkdirSync(root, { recursive: true });
  const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? '']));
  const child = spawn(command[0], command.slice(1), { cwd: root, env: { PATH: process.env.PATH, ...env } });
  const frame = (channel, data) => ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data)]));
  child.stdout.on('data', (data) => frame(1, data));
  child.stderr.on('data', (data) => frame(2, data));
  child.stdin.on('error', () => undefined);
  ws.on('message', (data) => {
    const bytes = Buffer.from(data);
    if (bytes[0] === 0) child.stdin.write(bytes.subarray(1));
    else if (bytes[0] === 255 && bytes[1] === 0) child.stdin.end();
  });
  ws.on('close', () => child.kill('SIGKILL'));
  child.on('error', (err) => {
    frame(3, JSON.stringify(status(500, 'InternalError', `failed to exec in container: ${err.message}`)));
    ws.close();
  });
  child.on('close', (code, signal) => {
    const exitCode = code ?? 128 + (os.constants.signals[signal] ?? 0);
    const end =
      exitCode === 0
        ? { metadata: {}, status: 'Success' }
        : {
            metadata: {},
            status: 'Failure',
            message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
            reason: 'NonZeroExitCode',
            details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
          };
    frame(3, JSON.stringify(end));
    ws.close(1000);
  });
}

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
