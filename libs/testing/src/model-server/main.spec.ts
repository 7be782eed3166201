import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseServerArgs } from './main-args';

// The standalone server, run the way tools/start.mjs runs it.
jest.setTimeout(30_000);

const root = join(__dirname, '..', '..', '..', '..');
const main = join(__dirname, 'main.ts');

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Watched {
  /** Resolves with stdout's first `count` lines once they have arrived. */
  lines(count: number): Promise<string[]>;
  kill(signal: NodeJS.Signals): void;
  exit: Promise<Exit>;
}

function start(args: string[]): Watched {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', main, ...args], { cwd: root });
  let stdout = '';
  let stderr = '';
  let closed = false;
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    wake();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<Exit>((resolve) =>
    child.on('close', (code, signal) => {
      closed = true;
      wake();
      resolve({ code, signal, stdout, stderr });
    }),
  );
  const lines = async (count: number): Promise<string[]> => {
    for (;;) {
      const got = stdout.split('\n').slice(0, -1);
      if (got.length >= count) return got.slice(0, count);
      if (closed) throw new Error(`exited after ${JSON.stringify(stdout)} ${JSON.stringify(stderr)}`);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { lines, kill: (signal) => child.kill(signal), exit };
}

const dir = mkdtempSync(join(tmpdir(), 'model-server-main-'));
beforeAll(() => {
  writeFileSync(
    join(dir, 'hello.yaml'),
    'when: { userContains: Say hello }\nsteps:\n  - respond: { text: "Hello from {{who}}." }\n',
  );
  writeFileSync(join(dir, 'bye.json'), JSON.stringify({ steps: [{ respond: { text: 'Bye.' } }] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('main.ts arguments', () => {
  it('parses several --scripts values, repeated flags and vars, relative to the working directory', () => {
    expect(
      parseServerArgs(['--scripts', 'hello.yaml', 'bye.json', '--var', 'who=a=b', '--scripts', '.'], dir),
    ).toEqual({
      port: 8070,
      scripts: [join(dir, 'hello.yaml'), join(dir, 'bye.json'), dir],
      vars: { who: 'a=b' },
    });
    expect(parseServerArgs(['--port', '0', '--scripts', dir], '/')).toMatchObject({ port: 0 });
  });

  it.each([
    [[], 'no scripts: give --scripts <dir-or-file>...'],
    [['--scripts'], '--scripts needs at least one file or folder'],
    [['--scripts', '--port', '1'], '--scripts needs at least one file or folder'],
    [['--port', 'http', '--scripts', '.'], '--port http is not a port number (0-65535)'],
    [['--port', '70000', '--scripts', '.'], '--port 70000 is not a port number (0-65535)'],
    [['--port'], '--port needs a value'],
    [['--port', '1', '--port', '2'], '--port given twice'],
    [['--var', 'who', '--scripts', '.'], '--var who is not name=value'],
    [['--var', 'a=1', '--var', 'a=2'], '--var a given twice'],
    [['--script', '.'], 'unknown argument "--script"'],
    [['--scripts', 'no-such-dir'], `no such script file or folder: ${join(dir, 'no-such-dir')}`],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseServerArgs(argv, dir)).toThrow(message);
  });

  it('exits with 2 and one line on stderr for bad arguments and for scripts that do not load', async () => {
    const runs = await Promise.all([
      start(['--scripts', dir, '--frobnicate']).exit,
      start(['--port', 'http', '--scripts', dir]).exit,
      start(['--scripts', join(dir, 'hello.yaml')]).exit,
      start(['--scripts', dir, '--var', 'who=me']).exit,
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2]);
    expect(runs.map((r) => r.stdout)).toEqual(['', '', '', '']);
    expect(runs.map((r) => r.stderr.split('\n'))).toEqual([
      [
        'scripted model server: unknown argument "--frobnicate" (usage: main.ts [--port <n>] --scripts <dir-or-file>... [--var name=value]...)',
        '',
      ],
      [
        'scripted model server: --port http is not a port number (0-65535) (usage: main.ts [--port <n>] --scripts <dir-or-file>... [--var name=value]...)',
        '',
      ],
      ['scripted model server: Model script hello uses {{who}} but no such variable was given', ''],
      [
        'scripted model server: Model script bye has no "when": a catalog chooses scripts by it, so each needs one',
        '',
      ],
    ]);
  });
});

describe('main.ts serving', () => {
  it('says it is ready, logs each request as a JSON line and stops cleanly on SIGTERM', async () => {
    const server = start(['--port', '0', '--scripts', join(dir, 'hello.yaml'), '--var', 'who=Horizon']);
    const [ready] = await server.lines(1);
    const match = /^scripted model server ready on (http:\/\/127\.0\.0\.1:\d+\/v1) \(1 scripts\)$/.exec(
      ready!,
    );
    expect(match).not.toBeNull();
    const baseUrl = match![1]!;

    const chat = (prompt: string) =>
      fetch(`${baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'scripted', messages: [{ role: 'user', content: prompt }] }),
      });
    const hello = await chat('Say hello, please');
    expect(await hello.json()).toMatchObject({ choices: [{ message: { content: 'Hello from Horizon.' } }] });
    expect((await chat('Say goodbye')).status).toBe(400);
    const logged = (await server.lines(3)).slice(1).map((line) => JSON.parse(line));
    expect(logged).toEqual([
      { time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), script: 'hello', step: 0, kind: 'step' },
      {
        time: expect.any(String),
        step: -1,
        kind: 'failure',
        failure: expect.stringContaining('but none does; candidates: hello (userContains "Say hello")'),
      },
    ]);

    server.kill('SIGTERM');
    expect(await server.exit).toMatchObject({ code: 0, signal: null, stderr: '' });
  });

  it('exits with 1 when its port is taken, and stops on SIGINT', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const busy = await start([
        '--port',
        String(port),
        '--scripts',
        join(dir, 'hello.yaml'),
        '--var',
        'who=x',
      ]).exit;
      expect(busy).toMatchObject({
        code: 1,
        stderr: `scripted model server: cannot listen on 127.0.0.1:${port}: EADDRINUSE\n`,
      });
    } finally {
      taken.close();
    }
    const server = start(['--port', '0', '--scripts', join(dir, 'hello.yaml'), '--var', 'who=x']);
    await server.lines(1);
    server.kill('SIGINT');
    expect(await server.exit).toMatchObject({ code: 0, signal: null });
  });
});
