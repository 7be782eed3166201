import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DocumentNode, OperationDefinitionNode, parse, print } from 'graphql';

/**
 * What the stand-in knows of Linear's schema, read from the installed `@linear/sdk`: every
 * operation document the SDK can send (bundled as `new TypedDocumentString(`…`)`), and the
 * input types, enums and scalars its TypeScript declarations describe. No SDL ships on npm;
 * these two are generated from it, so they are the schema as far as the SDK can reach it.
 */
export interface SdkOperation {
  name: string;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** `print()` of the whole document: a request must match it exactly. */
  printed: string;
}

export type InputTypeRef =
  | { kind: 'scalar'; name: string }
  | { kind: 'named'; name: string }
  | { kind: 'list'; of: InputTypeRef; nullable: boolean };

export interface InputField {
  type: InputTypeRef;
  nullable: boolean;
}

export interface SdkSchema {
  /** Output object types: a field's type and whether it may be null. */
  outputs: Map<string, Map<string, InputField>>;
  /** Keyed by the printed document: the SDK sends some operation names with more than one selection. */
  operations: Map<string, SdkOperation>;
  operationNames: Set<string>;
  enums: Map<string, Set<string>>;
  inputs: Map<string, Map<string, InputField>>;
  scalars: Set<string>;
}

let cached: SdkSchema | undefined;

export function loadSdkSchema(): SdkSchema {
  return (cached ??= build());
}

function sdkDist(): string {
  return join(dirname(require.resolve('@linear/sdk/package.json')), 'dist');
}

function build(): SdkSchema {
  const dist = sdkDist();
  const bundle = readFileSync(join(dist, 'index.mjs'), 'utf8');
  const operations = new Map<string, SdkOperation>();
  for (const match of bundle.matchAll(/new TypedDocumentString\(`((?:[^`\\]|\\[\s\S])*)`\)/g)) {
    const document = parse(match[1]!.replace(/\\([\s\S])/g, '$1'));
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition',
    );
    if (!operation?.name) continue;
    const printed = print(document);
    operations.set(printed, { name: operation.name.value, document, operation, printed });
  }
  const declarations = readdirSync(dist)
    .filter((f) => f.endsWith('.d.mts'))
    .map((f) => readFileSync(join(dist, f), 'utf8'))
    .join('\n');
  const operationNames = new Set([...operations.values()].map((o) => o.name));
  return { operations, operationNames, ...readDeclarations(declarations) };
}

function readDeclarations(source: string): Pick<SdkSchema, 'enums' | 'inputs' | 'outputs' | 'scalars'> {
  const scalarsBlock = /^type Scalars = \{([\s\S]*?)^\};/m.exec(source)?.[1] ?? '';
  const scalars = new Set([...scalarsBlock.matchAll(/^\s{2}(\w+):/gm)].map((m) => m[1]!));
  const enums = new Map<string, Set<string>>();
  for (const m of source.matchAll(/^declare enum (\w+) \{([\s\S]*?)^\}/gm)) {
    enums.set(m[1]!, new Set([...m[2]!.matchAll(/=\s*"([^"]*)"/g)].map((v) => v[1]!)));
  }
  const inputs = new Map<string, Map<string, InputField>>();
  const outputs = new Map<string, Map<string, InputField>>();
  for (const m of source.matchAll(/^type (\w+) = (?:\w+ & )*\{\n([\s\S]*?)^\};/gm)) {
    const body = m[2]!;
    const isOutput = /^\s{2}__typename\??:/m.test(body);
    const fields = new Map<string, InputField>();
    for (const f of body.matchAll(/^\s{2}(\w+)(\??): (.+);$/gm)) {
      const parsed = parseTsType(f[3]!.trim());
      if (!parsed) continue;
      fields.set(f[1]!, { type: parsed.type, nullable: f[2] === '?' || parsed.nullable });
    }
    fields.delete('__typename');
    if (fields.size) (isOutput ? outputs : inputs).set(m[1]!, fields);
  }
  return { enums, inputs, outputs, scalars };
}

/** Reads `InputMaybe<Array<Scalars["String"]>>` and the like into a type reference. */
function parseTsType(ts: string): { type: InputTypeRef; nullable: boolean } | undefined {
  const maybe = /^(?:InputMaybe|Maybe)<(.+)>$/.exec(ts);
  if (maybe) {
    const inner = parseTsType(maybe[1]!);
    return inner && { type: inner.type, nullable: true };
  }
  const list = /^Array<(.+)>$/.exec(ts);
  if (list) {
    const inner = parseTsType(list[1]!);
    return inner && { type: { kind: 'list', of: inner.type, nullable: inner.nullable }, nullable: false };
  }
  const scalar = /^Scalars\["(\w+)"\]$/.exec(ts);
  if (scalar) return { type: { kind: 'scalar', name: scalar[1]! }, nullable: false };
  if (/^\w+$/.test(ts)) return { type: { kind: 'named', name: ts }, nullable: false };
  return undefined;
}
