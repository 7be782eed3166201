import {
  FieldNode,
  FragmentDefinitionNode,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  ValueNode,
} from 'graphql';
import type { InputField, InputTypeRef, SdkSchema } from './sdk-schema';

/** A value the stand-in answers with: plain data, or a function of the field's arguments. */
export type Resolved = unknown;
export type FieldResolver = (args: Record<string, unknown>) => Resolved;

/**
 * Shapes resolved data to the operation's selection set, as a GraphQL executor does: only the
 * selected fields, aliases honoured, fragments applied by `__typename`, dates as ISO strings.
 * A field the stand-in does not model is null when the schema allows it, and otherwise an
 * empty value of its declared type (as the SDK's models construct every non-null field).
 */
export function shape(
  schema: SdkSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  root: Record<string, unknown>,
): Record<string, unknown> {
  return selectObject({ schema, fragments, variables }, operation.selectionSet, root, undefined);
}

interface Ctx {
  schema: SdkSchema;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

export function argumentsOf(field: FieldNode, variables: Record<string, unknown>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const arg of field.arguments ?? []) args[arg.name.value] = valueOf(arg.value, variables);
  return args;
}

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.INT:
      return Number.parseInt(node.value, 10);
    case Kind.FLOAT:
      return Number.parseFloat(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((v) => valueOf(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, valueOf(f.value, variables)]));
  }
}

function fieldsOf(
  set: SelectionSetNode,
  typename: string | undefined,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): FieldNode[] {
  const out: FieldNode[] = [];
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) {
      if (!sel.typeCondition || !typename || sel.typeCondition.name.value === typename)
        out.push(...fieldsOf(sel.selectionSet, typename, fragments));
    } else {
      const fragment = fragments.get(sel.name.value);
      if (fragment && (!typename || fragment.typeCondition.name.value === typename))
        out.push(...fieldsOf(fragment.selectionSet, typename, fragments));
    }
  }
  return out;
}

function selectObject(
  ctx: Ctx,
  set: SelectionSetNode,
  source: Record<string, unknown>,
  declared: string | undefined,
): Record<string, unknown> {
  const typename = (source.__typename as string | undefined) ?? declared;
  const declaredFields = typename ? ctx.schema.outputs.get(typename) : undefined;
  const out: Record<string, unknown> = {};
  for (const field of fieldsOf(set, typename, ctx.fragments)) {
    const key = field.alias?.value ?? field.name.value;
    if (field.name.value === '__typename') {
      out[key] = typename ?? null;
      continue;
    }
    let value = source[field.name.value];
    if (typeof value === 'function') value = (value as FieldResolver)(argumentsOf(field, ctx.variables));
    const decl = declaredFields?.get(field.name.value);
    if (value === undefined || value === null) value = decl && !decl.nullable ? emptyOf(ctx, decl) : null;
    const named = decl ? namedType(decl.type) : undefined;
    out[key] = field.selectionSet ? selectValue(ctx, field.selectionSet, value, named) : scalar(value);
  }
  return out;
}

function selectValue(ctx: Ctx, set: SelectionSetNode, value: unknown, declared: string | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => selectValue(ctx, set, v, declared));
  return selectObject(ctx, set, value as Record<string, unknown>, declared);
}

function namedType(ref: InputTypeRef): string {
  return ref.kind === 'list' ? namedType(ref.of) : ref.name;
}

function emptyOf(ctx: Ctx, field: InputField): unknown {
  const ref = field.type;
  if (ref.kind === 'list') return [];
  switch (ref.name) {
    case 'String':
    case 'ID':
      return '';
    case 'Int':
    case 'Float':
      return 0;
    case 'Boolean':
      return false;
    case 'DateTime':
      return new Date(0);
    case 'JSON':
    case 'JSONObject':
      return {};
  }
  const enumValues = ctx.schema.enums.get(ref.name);
  if (enumValues) return [...enumValues][0];
  return ctx.schema.outputs.has(ref.name) ? { __typename: ref.name } : {};
}

function scalar(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return value;
}
