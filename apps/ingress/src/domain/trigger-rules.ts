import jsonLogic from 'json-logic-js';
import type { RulesLogic } from 'json-logic-js';
import Mustache from 'mustache';

/**
 * A trigger's filter and templates. The filter is a JSON-logic rule (json-logic-js): plain data,
 * evaluated without `eval`, so a stored rule cannot run code. Templates are Mustache
 * (logic-less): they can only read payload fields, `{{data.event.title}}`.
 */
export class TriggerDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TriggerDefinitionError';
  }
}

/** Mustache escapes for HTML by default; a prompt is text, so values go in as they are. */
const asText = { escape: (value: unknown) => String(value) };

type Token = [string, string, number, number, Token[]?];

/** Field names a template reads, sections included. */
function fieldsOf(tokens: Token[]): string[] {
  return tokens.flatMap(([type, value, , , children]) => [
    ...(['name', '&', '#', '^'].includes(type) ? [value] : []),
    ...(children ? fieldsOf(children) : []),
  ]);
}

function parseTemplate(template: string, what: string): Token[] {
  try {
    return Mustache.parse(template) as unknown as Token[];
  } catch (error) {
    throw new TriggerDefinitionError(`${what} is not a valid Mustache template: ${(error as Error).message}`);
  }
}

/** Refuses a template Mustache cannot parse; `mustRead` also one that reads no payload field. */
export function checkTemplate(template: string, what: string, mustRead: boolean): void {
  const fields = fieldsOf(parseTemplate(template, what));
  if (mustRead && fields.length === 0)
    throw new TriggerDefinitionError(
      `${what} references no payload field: write at least one, e.g. {{data.event.title}}`,
    );
}

/** Refuses what is not a JSON-logic rule json-logic-js can evaluate. */
export function checkFilter(filter: unknown): void {
  if (!jsonLogic.is_logic(filter))
    throw new TriggerDefinitionError(
      'filter must be a JSON-logic rule: an object with one operator, e.g. {"==": [{"var": "action"}, "triggered"]}',
    );
  try {
    jsonLogic.apply(filter as RulesLogic, {});
  } catch (error) {
    throw new TriggerDefinitionError(`filter cannot be evaluated: ${(error as Error).message}`);
  }
}

/** Whether the payload passes the filter (no filter lets everything through). */
export function passesFilter(filter: unknown, payload: unknown): boolean {
  if (filter === null || filter === undefined) return true;
  return Boolean(jsonLogic.truthy(jsonLogic.apply(filter as RulesLogic, payload as object)));
}

/** The template rendered over the payload, and the fields it read that the payload lacks. */
export function renderTemplate(template: string, payload: unknown): { text: string; missing: string[] } {
  const context = new Mustache.Context(payload);
  // Only fields outside sections: inside one, a name is looked up in the section's own context.
  const missing = parseTemplate(template, 'template')
    .filter(([type, name]) => (type === 'name' || type === '&') && name !== '.')
    .map(([, name]) => name)
    .filter((name) => context.lookup(name) === undefined || context.lookup(name) === null);
  return { text: Mustache.render(template, payload, {}, asText), missing };
}
