// The scripted model server as a process of its own, in catalog mode: the model provider of
// `npm start` when none is configured. One line once ready, then one JSON line per request.
//   node -r @swc-node/register libs/testing/src/model-server/main.ts \
//     --port 8070 --scripts <dir-or-file>... [--var name=value]...
import { parseServerArgs, ServerArgs, usage, UsageError } from './main-args';
import { RecordedRequest, ScriptedModelServer, ScriptFailure } from './scripted-model-server';

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, '; ');

function exitWith(code: number, message: string): never {
  process.stderr.write(`scripted model server: ${oneLine(message)}\n`);
  process.exit(code);
}

function logRequest(record: RecordedRequest, failure?: ScriptFailure): void {
  const line = {
    time: new Date(record.receivedAt).toISOString(),
    script: record.script,
    step: record.step ?? failure?.step,
    kind: record.kind,
    failure: failure?.message,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(): Promise<void> {
  let args: ServerArgs;
  try {
    args = parseServerArgs(process.argv.slice(2), process.cwd());
  } catch (err) {
    if (err instanceof UsageError) exitWith(2, `${err.message} (${usage})`);
    throw err;
  }
  let server: ScriptedModelServer;
  try {
    server = await ScriptedModelServer.start({
      scripts: args.scripts,
      vars: args.vars,
      port: args.port,
      keepRequests: false,
      onRequest: logRequest,
    });
  } catch (err) {
    const error = err as NodeJS.ErrnoException;
    if (error.syscall === 'listen') exitWith(1, `cannot listen on 127.0.0.1:${args.port}: ${error.code}`);
    // Anything else is a script the arguments pointed at that does not load or fit.
    exitWith(2, error.message);
  }
  // Handlers first: whoever reads the ready line may signal at once.
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`scripted model server ready on ${server.baseUrl} (${server.scriptCount} scripts)\n`);
}

void main();
