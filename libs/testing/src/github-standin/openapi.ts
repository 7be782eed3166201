import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * GitHub's published REST description (`@octokit/openapi`, OpenAPI 3.0) as a request
 * validator: it finds the operation a method and path name, and checks path and query
 * parameters and the JSON body against the operation's own schemas, so a request GitHub
 * would refuse is refused here too.
 */
type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: object };
type Operation = {
  operationId: string;
  parameters?: ({ $ref: string } | Parameter)[];
  requestBody?: { required?: boolean; content: Record<string, { schema: object }> };
  externalDocs?: { url: string };
};
type Spec = {
  paths: Record<string, Record<string, Operation>>;
  components: { parameters: Record<string, Parameter> };
};

export interface MatchedOperation {
  operationId: string;
  template: string;
  method: string;
  pathParams: Record<string, string>;
  documentationUrl: string;
}

export type ValidationFailure = { status: 404 | 422; message: string };

const SPEC_ID = 'github';

function pointer(...segments: string[]): string {
  return segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

export class GitHubOpenApi {
  private readonly ajv: Ajv;
  private readonly routes: { regex: RegExp; names: string[]; template: string }[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly spec: Spec) {
    this.ajv = new Ajv({
      strict: false,
      allErrors: true,
      verbose: true,
      validateSchema: false,
      logger: false,
    });
    addFormats(this.ajv);
    this.ajv.addFormat('repo.nwo', /^[^/]+\/[^/]+$/);
    this.ajv.addSchema(spec as object, SPEC_ID);
    this.routes = Object.keys(spec.paths).map((template) => {
      const names: string[] = [];
      const source = template
        .split('/')
        .map((segment) =>
          segment.replace(/\{([^}]+)\}|[^{]+/g, (part, name?: string) => {
            if (!name) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
            names.push(name);
            return '([^/]+)';
          }),
        )
        .join('/');
      return { regex: new RegExp(`^${source}$`), names, template };
    });
    // A literal segment beats a parameter (`/user` before `/{owner}`): most literal first.
    this.routes.sort((a, b) => a.names.length - b.names.length);
  }

  /** The operation for a method and path, or a 404 as GitHub answers for unknown routes. */
  match(method: string, pathname: string): MatchedOperation | ValidationFailure {
    const verb = method.toLowerCase();
    for (const route of this.routes) {
      const m = route.regex.exec(pathname);
      const operation = m && this.spec.paths[route.template]![verb];
      if (!m || !operation) continue;
      const pathParams = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      return {
        operationId: operation.operationId,
        template: route.template,
        method: verb,
        pathParams,
        documentationUrl: operation.externalDocs?.url ?? 'https://docs.github.com/rest',
      };
    }
    return { status: 404, message: 'Not Found' };
  }

  /** Checks parameters (path type mismatches are 404s, as on GitHub) and the JSON body. */
  validate(op: MatchedOperation, query: URLSearchParams, body: unknown): ValidationFailure | null {
    const operation = this.spec.paths[op.template]![op.method]!;
    for (const param of (operation.parameters ?? []).map((p) => this.resolve(p))) {
      if (param.in === 'header') continue;
      const raw = param.in === 'path' ? op.pathParams[param.name] : (query.get(param.name) ?? undefined);
      if (raw === undefined) {
        if (param.required)
          return { status: 422, message: `Invalid request.\n\n"${param.name}" wasn't supplied.` };
        continue;
      }
      const value = coerce(raw, param.schema as { type?: string } | undefined);
      const check = this.compiled(`${op.template}#${op.method}#${param.name}`, param.schema ?? {});
      if (!check(value)) {
        if (param.in === 'path') return { status: 404, message: 'Not Found' };
        return { status: 422, message: `Invalid request.\n\n${describe(check.errors ?? [], param.name)}` };
      }
    }
    const json = operation.requestBody?.content['application/json'];
    if (!json) return null;
    if (body === undefined) {
      return operation.requestBody?.required
        ? { status: 422, message: 'Invalid request.\n\nNo body was supplied.' }
        : null;
    }
    const ref = `${SPEC_ID}#/${pointer('paths', op.template, op.method, 'requestBody', 'content', 'application/json', 'schema')}`;
    const check = this.compiled(ref, { $ref: ref });
    return check(body)
      ? null
      : { status: 422, message: `Invalid request.\n\n${describe(check.errors ?? [])}` };
  }

  private resolve(p: { $ref: string } | Parameter): Parameter {
    if (!('$ref' in p)) return p;
    return this.spec.components.parameters[p.$ref.replace('#/components/parameters/', '')]!;
  }

  private compiled(key: string, schema: object): ValidateFunction {
    let fn = this.validators.get(key);
    if (!fn) {
      fn = this.ajv.compile(schema);
      this.validators.set(key, fn);
    }
    return fn;
  }
}

function coerce(raw: string, schema: { type?: string } | undefined): unknown {
  if (schema?.type === 'integer' || schema?.type === 'number')
    return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  if (schema?.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

/** Ajv's errors in the words GitHub's validator uses ("\"head\" wasn't supplied."). */
function describe(errors: ErrorObject[], subject?: string): string {
  return errors
    .filter((e) => !['anyOf', 'oneOf', 'if'].includes(e.keyword))
    .map((e) => {
      if (e.keyword === 'required')
        return `"${(e.params as { missingProperty: string }).missingProperty}" wasn't supplied.`;
      const at = subject ?? e.instancePath.replace(/^\//, '').replace(/\//g, '/properties/');
      const where = at ? `'properties/${at}'` : 'the request body';
      if (e.keyword === 'type')
        return `For ${where}, ${JSON.stringify(e.data)} is not ${article((e.params as { type: string }).type)}.`;
      if (e.keyword === 'enum') {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues
          .map((v) => JSON.stringify(v))
          .join(', ');
        return `For ${where}, ${JSON.stringify(e.data)} is not a member of [${allowed}].`;
      }
      return `For ${where}, ${JSON.stringify(e.data)} ${e.message ?? 'is invalid'}.`;
    })
    .filter((line, i, all) => all.indexOf(line) === i)
    .join('\n');
}

function article(type: string): string {
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

let shared: GitHubOpenApi | undefined;

/** Parsed once per process (the description is 13 MB): every stand-in shares it. */
export function githubOpenApi(): GitHubOpenApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  shared ??= new GitHubOpenApi(require('@octokit/openapi/generated/api.github.com.json') as Spec);
  return shared;
}
