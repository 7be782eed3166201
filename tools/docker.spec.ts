// There is no Docker engine here to build the images or start the compose file, so this checks
// what can be checked without one: the Dockerfile (parsed by dockerfile-ast, the parser behind
// VS Code's Dockerfile support) copies files that exist and stages that are defined, its service
// image does not run as root, and docker/compose.yaml is valid against the Compose
// Specification's JSON schema and agrees with the services `npm start` runs.
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import draft07 from 'ajv/dist/refs/json-schema-draft-07.json';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..');
const dockerfile = DockerfileParser.parse(fs.readFileSync(path.join(ROOT, 'docker/Dockerfile'), 'utf8'));
const composeText = fs.readFileSync(path.join(ROOT, 'docker/compose.yaml'), 'utf8');

/** The settings docker/env.example lists, as docker/.env would give them. */
const exampleEnv = Object.fromEntries(
  fs
    .readFileSync(path.join(ROOT, 'docker/env.example'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);

/** Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?error}`, as `docker compose config` resolves them. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(
    /\$\{([A-Z_]+)(?::([-?])([^}]*))?\}/g,
    (_, name: string, kind?: string, rest?: string) => {
      const value = env[name];
      if (value) return value;
      if (kind === '?') throw new Error(`compose needs ${name}: ${rest}`);
      return kind === '-' ? (rest ?? '') : '';
    },
  );
}

// The services `npm start` runs (tools/lib/services.mjs), loaded before the tests.
let services: { name: string; portVar: string; port: number }[] = [];
beforeAll(async () => {
  ({ SERVICES: services } = await import('./lib/services.mjs'));
  if (services.length < 8) throw new Error(`tools/lib/services.mjs lists ${services.length} services`);
});

const copies = (): Instruction[] => dockerfile.getInstructions().filter((i) => i.getKeyword() === 'COPY');
const fromFlag = (copy: Instruction) =>
  (copy as unknown as { getFlags(): { getName(): string; getValue(): string | null }[] })
    .getFlags()
    .find((f) => f.getName() === 'from')
    ?.getValue();

describe('docker/Dockerfile', () => {
  const stages = dockerfile.getFROMs().map((f) => f.getBuildStage());

  it('copies from the build context only files and folders that exist, and never what .dockerignore leaves out', () => {
    const ignored = fs
      .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.replace(/^\*\*\//, ''));
    const sources = copies()
      .filter((copy) => !fromFlag(copy))
      .flatMap((copy) =>
        copy
          .getArguments()
          .slice(0, -1)
          .map((a) => a.getValue()),
      );
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) {
      expect({ source, exists: fs.existsSync(path.join(ROOT, source)) }).toEqual({ source, exists: true });
      expect(ignored).not.toContain(source);
    }
    // What npm ci needs to install the workspaces: the lock file and every workspace's package.json.
    expect(sources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'apps', 'libs']));
  });

  it('copies between stages only from stages defined before, and the build stage makes what is copied', () => {
    for (const copy of copies().filter((c) => fromFlag(c))) {
      const from = fromFlag(copy)!;
      const before = stages.slice(0, stages.indexOf(stageOf(copy)));
      expect({ from, defined: before.includes(from) }).toEqual({ from, defined: true });
    }
    const buildRuns = dockerfile
      .getInstructions()
      .filter((i) => i.getKeyword() === 'RUN' && stageOf(i) === 'build')
      .map((i) => i.getArgumentsContent() ?? '');
    expect(buildRuns.join('\n')).toMatch(
      /node tools\/build\.mjs && node tools\/lib\/runtime-files\.mjs \/runtime/,
    );
    expect(fs.existsSync(path.join(ROOT, 'tools/build.mjs'))).toBe(true);
  });

  it('runs every service but sandbox-manager as an unprivileged user', () => {
    const users = (stage: string) =>
      dockerfile
        .getInstructions()
        .filter((i) => i.getKeyword() === 'USER' && stageOf(i) === stage)
        .map((i) => i.getArgumentsContent());
    expect(users('service')).toEqual(['node']);
    expect(users('migrate')).toEqual(['node']);
    expect(stages).toEqual(
      expect.arrayContaining(['build', 'base', 'service', 'sandbox-manager', 'migrate']),
    );
  });
});

/** The build stage an instruction belongs to: the last FROM above it. */
function stageOf(instruction: Instruction): string {
  const line = instruction.getRange().start.line;
  const from = dockerfile
    .getFROMs()
    .filter((f) => f.getRange().start.line <= line)
    .at(-1);
  return from?.getBuildStage() ?? '';
}

describe('docker/compose.yaml', () => {
  // YAML merge keys (`<<: *service`), as Compose reads them.
  const compose = parse(interpolate(composeText, exampleEnv), { merge: true }) as {
    services: Record<
      string,
      Record<string, unknown> & { build?: { target: string; args?: { SERVICE: string } } }
    >;
  };

  it("is valid against the Compose Specification's schema", () => {
    // dclint ships the Compose Specification's compose-spec.json (its package exports no path to it).
    const schema = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'node_modules/dclint/schemas/compose.schema.json'), 'utf8'),
    );
    const ajv = new Ajv({ allErrors: true, strict: false });
    // The schema names draft-07 by its https address; Ajv knows it by the http one.
    ajv.addMetaSchema({ ...draft07, $id: 'https://json-schema.org/draft-07/schema' });
    const validate = ajv.compile(schema);
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
    // And it is not valid by accident: a service with an unknown key is refused.
    expect(validate({ services: { x: { image: 'x', restart_policy: 'always' } } })).toBe(false);
  });

  it('has no secret written in it: every required setting comes from docker/.env, listed in env.example', () => {
    const required = [...composeText.matchAll(/\$\{([A-Z_]+):\?/g)].map(([, name]) => name!);
    expect(required.length).toBeGreaterThan(5);
    for (const name of required) expect(Object.keys(exampleEnv)).toContain(name);
    expect(composeText).not.toMatch(/(PASSWORD|SECRET|TOKEN|KEY|_URL): (?!\$\{|nats:|http:)/);
    expect(() => interpolate(composeText, {})).toThrow(/compose needs/);
  });

  it('runs every service npm start runs, from its image, with a readiness health check and a restart policy', () => {
    const stages = dockerfile.getFROMs().map((f) => f.getBuildStage());
    for (const service of services) {
      const entry = compose.services[service.name];
      expect({ service: service.name, defined: !!entry }).toEqual({ service: service.name, defined: true });
      expect(entry!.build!.args!.SERVICE).toBe(service.name);
      expect(stages).toContain(entry!.build!.target);
      expect(fs.existsSync(path.join(ROOT, 'apps', service.name, 'src', 'main.ts'))).toBe(true);
      expect(entry!.restart).toBe('unless-stopped');
      expect(JSON.stringify(entry!.healthcheck)).toContain(`http://127.0.0.1:${service.port}/readyz`);
      expect(entry!.depends_on).toMatchObject({
        nats: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    for (const infra of ['postgres', 'nats']) expect(compose.services[infra]!.healthcheck).toBeDefined();
    expect(JSON.stringify(compose.services.nats!.command)).toContain('--jetstream');
  });
});
