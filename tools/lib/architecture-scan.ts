// What tools/architecture-docs.ts reads from the code. The TypeScript compiler's parser finds
// which contracts a service passes to calls (a regex cannot tell an import from a use); the
// consumers come from the decorators' own metadata, so the page shows what the runtime binds.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { Contract } from '@horizon/contracts';
import { CONSUMER_META, HANDLER_META, narrowestFilter } from '@horizon/messaging';

/** Table names per schema, from `model … { … @@map("…") @@schema("…") }`. */
export function tablesBySchema(prismaSchema: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of prismaSchema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const schema = /@@schema\("(\w+)"\)/.exec(m[2]!)?.[1];
    if (!schema) continue;
    const table = /@@map\("(\w+)"\)/.exec(m[2]!)?.[1] ?? m[1]!;
    out.set(schema, [...(out.get(schema) ?? []), table]);
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ts$/.test(e.name) && !/\.(spec|test|d)\.ts$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

export interface ContractUses {
  /** RPC subjects handed to `serve`. */
  served: string[];
  /** RPC subjects handed to any other call (an RPC client). */
  called: string[];
  /** Event and command subjects handed to calls other than `@HandleMessage` (emit, envelopeFor…). */
  passed: string[];
  /** Integration libs whose webhook normalizers it runs: the contracts they return are its to publish. */
  normalizers: string[];
}

function calleeName(call: ts.CallExpression): string {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return '';
}

/** The names an argument may be: `x`, `(x)`, `cond ? x : y`. */
function identifiersOf(arg: ts.Expression): ts.Identifier[] {
  if (ts.isIdentifier(arg)) return [arg];
  if (ts.isParenthesizedExpression(arg)) return identifiersOf(arg.expression);
  if (ts.isConditionalExpression(arg))
    return [...identifiersOf(arg.whenTrue), ...identifiersOf(arg.whenFalse)];
  return [];
}

export function contractUsesOf(srcDir: string, byExportName: Map<string, Contract>): ContractUses {
  const uses: ContractUses = { served: [], called: [], passed: [], normalizers: [] };
  for (const file of sourceFiles(srcDir)) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    const imported = new Set<string>();
    for (const stmt of source.statements) {
      if (!ts.isImportDeclaration(stmt)) continue;
      const from = (stmt.moduleSpecifier as ts.StringLiteral).text;
      const named = stmt.importClause?.namedBindings;
      const names = named && ts.isNamedImports(named) ? named.elements.filter((el) => !el.isTypeOnly) : [];
      const integration = /^@horizon\/integrations-([a-z]+)/.exec(from)?.[1];
      if (integration && names.some((el) => /^normalize\w*Webhook$/.test(el.name.text)))
        uses.normalizers.push(integration);
      if (from === '@horizon/contracts') for (const el of names) imported.add(el.name.text);
    }
    const use = (callee: string, names: ts.Identifier[]) => {
      for (const name of names) {
        const contract = imported.has(name.text) ? byExportName.get(name.text) : undefined;
        if (!contract || callee === 'HandleMessage') continue;
        if (contract.kind === 'rpc') (callee === 'serve' ? uses.served : uses.called).push(contract.subject);
        else uses.passed.push(contract.subject);
      }
    };
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node)) use(calleeName(node), node.arguments.flatMap(identifiersOf));
      // `{ contract: x, data }`: an outbox message built for a later emit.
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'contract')
        use('', identifiersOf(node.initializer));
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return uses;
}

export interface ConsumerDoc {
  durable: string;
  stream: string;
  filterSubject: string;
  subjects: string[];
  /** Delivered by the filter, acknowledged unread. */
  ignored: string[];
}

type Options = { durable: string; stream: string; filterSubject?: string; ignore?: readonly Contract[] };

/** The durable consumers declared in a service's source, from their decorator metadata. */
export function consumersOf(srcDir: string): ConsumerDoc[] {
  const out: ConsumerDoc[] = [];
  for (const file of sourceFiles(srcDir)) {
    if (!fs.readFileSync(file, 'utf8').includes('@MessageConsumer(')) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(file) as Record<string, unknown>;
    for (const value of Object.values(exported)) {
      if (typeof value !== 'function') continue;
      const options = Reflect.getMetadata(CONSUMER_META, value) as Options | undefined;
      if (!options) continue;
      const proto = value.prototype as Record<string, unknown>;
      const subjects = Object.getOwnPropertyNames(proto).flatMap((name) => {
        const handles = Reflect.getMetadata(HANDLER_META, proto[name] as object) as Contract[] | undefined;
        return (handles ?? []).map((c) => c.subject);
      });
      const handled = [...new Set(subjects)].sort();
      out.push({
        durable: options.durable,
        stream: options.stream,
        // What the runtime binds with (libs/messaging consumerFilter): declared, else derived.
        filterSubject: options.filterSubject ?? narrowestFilter(handled),
        subjects: handled,
        ignored: (options.ignore ?? []).map((c) => c.subject).sort(),
      });
    }
  }
  return out.sort((a, b) => a.durable.localeCompare(b.durable));
}
