import { TypeNode, VariableDefinitionNode } from 'graphql';
import type { InputTypeRef, SdkSchema } from './sdk-schema';

/**
 * Checks request variables against an operation's variable definitions the way a GraphQL
 * server coerces them: non-null variables present, scalars of the right kind, enum values
 * known, input objects with only known fields and every required one. Returns the first
 * problem in graphql-js's wording, or undefined.
 */
export function checkVariables(
  schema: SdkSchema,
  definitions: readonly VariableDefinitionNode[],
  variables: Record<string, unknown>,
): string | undefined {
  for (const def of definitions) {
    const name = def.variable.name.value;
    const value = variables[name];
    const problem = checkNode(schema, def.type, value, name in variables);
    if (problem) return `Variable "$${name}" got invalid value ${JSON.stringify(value)}; ${problem}`;
  }
  return undefined;
}

function checkNode(schema: SdkSchema, type: TypeNode, value: unknown, provided = true): string | undefined {
  if (type.kind === 'NonNullType') {
    if (!provided || value === null || value === undefined)
      return `Expected non-nullable type "${printType(type)}" not to be null.`;
    return checkNode(schema, type.type, value);
  }
  if (value === null || value === undefined) return undefined;
  if (type.kind === 'ListType') {
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      const p = checkNode(schema, type.type, item);
      if (p) return p;
    }
    return undefined;
  }
  return checkNamed(schema, type.name.value, value);
}

function checkRef(
  schema: SdkSchema,
  ref: InputTypeRef,
  nullable: boolean,
  value: unknown,
): string | undefined {
  if (value === null || value === undefined)
    return nullable ? undefined : `Expected non-nullable value, found ${String(value)}.`;
  if (ref.kind === 'list') {
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      const p = checkRef(schema, ref.of, ref.nullable, item);
      if (p) return p;
    }
    return undefined;
  }
  return checkNamed(schema, ref.name, value);
}

function checkNamed(schema: SdkSchema, name: string, value: unknown): string | undefined {
  const scalarProblem = checkScalar(name, value);
  if (scalarProblem !== null) return scalarProblem;
  const enumValues = schema.enums.get(name);
  if (enumValues)
    return typeof value === 'string' && enumValues.has(value)
      ? undefined
      : `Value ${JSON.stringify(value)} does not exist in "${name}" enum.`;
  const fields = schema.inputs.get(name);
  if (!fields) {
    if (schema.scalars.has(name)) return undefined;
    return `Unknown type "${name}".`;
  }
  if (typeof value !== 'object' || Array.isArray(value)) return `Expected type "${name}" to be an object.`;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!fields.has(key)) return `Field "${key}" is not defined by type "${name}".`;
  }
  for (const [key, field] of fields) {
    if (!field.nullable && (record[key] === undefined || record[key] === null))
      return `Field "${name}.${key}" of required type was not provided.`;
    const p = checkRef(schema, field.type, field.nullable, record[key]);
    if (p) return `At "${name}.${key}": ${p}`;
  }
  return undefined;
}

/** null when `name` is not a built-in scalar; otherwise the problem or undefined. */
function checkScalar(name: string, value: unknown): string | undefined | null {
  switch (name) {
    case 'String':
      return typeof value === 'string'
        ? undefined
        : `String cannot represent a non string value: ${JSON.stringify(value)}`;
    case 'ID':
      return typeof value === 'string' || Number.isInteger(value)
        ? undefined
        : `ID cannot represent value: ${JSON.stringify(value)}`;
    case 'Int':
      return Number.isInteger(value) && Math.abs(value as number) <= 2 ** 31 - 1
        ? undefined
        : `Int cannot represent non-integer value: ${JSON.stringify(value)}`;
    case 'Float':
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : `Float cannot represent non numeric value: ${JSON.stringify(value)}`;
    case 'Boolean':
      return typeof value === 'boolean'
        ? undefined
        : `Boolean cannot represent a non boolean value: ${JSON.stringify(value)}`;
    case 'DateTime':
    case 'TimelessDate':
      return typeof value === 'string'
        ? undefined
        : `${name} cannot represent value: ${JSON.stringify(value)}`;
    case 'JSONObject':
      return typeof value === 'object' && !Array.isArray(value)
        ? undefined
        : `JSONObject cannot represent non-object value: ${JSON.stringify(value)}`;
    default:
      return null;
  }
}

function printType(type: TypeNode): string {
  if (type.kind === 'NonNullType') return `${printType(type.type)}!`;
  if (type.kind === 'ListType') return `[${printType(type.type)}]`;
  return type.name.value;
}
