import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, join } from 'node:path';
import { allUserText, assistantTurns, ChatRequest, firstUserText, systemText } from './conversation';
import {
  fillScript,
  loadScript,
  ModelScript,
  ModelScriptInput,
  parseScript,
  ScriptSelector,
  scriptsDir,
} from './script';

/**
 * A script of a catalog: a file name or folder under `libs/testing/scripts`, an absolute path
 * to a script file or to a folder of them (`*.yaml`, `*.yml`, `*.json`), or a script as data.
 */
export type ScriptSource = ModelScriptInput | string;

/** A script served in catalog mode, with the name it goes by in records and messages. */
export interface CatalogScript {
  /** The file name without extension, or the title of a script given as data. */
  name: string;
  selector: ScriptSelector;
  script: ModelScript;
}

const scriptExtensions = ['.yaml', '.yml', '.json'];

/**
 * Loads, fills and checks the scripts of a catalog. Every script needs a `when`, names must be
 * unique, and no selector may be shadowed by another (a script whose conversations always
 * match a second script too could never be chosen): mistakes show at start, not mid-demo.
 */
export function loadCatalog(sources: ScriptSource[], vars: Record<string, string>): CatalogScript[] {
  const loaded = sources.flatMap(loadSource);
  if (loaded.length === 0) throw new Error('Model script catalog is empty: give at least one script');
  const catalog = loaded.map(({ name, script }): CatalogScript => {
    const filled = fillScript(script, vars, name);
    if (!filled.when) {
      throw new Error(
        `Model script ${name} has no "when": a catalog chooses scripts by it, so each needs one`,
      );
    }
    return { name, selector: filled.when, script: filled };
  });
  checkNames(catalog);
  checkReachable(catalog);
  return catalog;
}

function loadSource(source: ScriptSource, index: number): Array<{ name: string; script: ModelScript }> {
  if (typeof source !== 'string') {
    const script = parseScript(source, `#${index} of the catalog`);
    return [{ name: script.title, script }];
  }
  const path = isAbsolute(source) ? source : join(scriptsDir, source);
  if (!existsSync(path)) throw new Error(`Model script ${source} not found (${path})`);
  if (!statSync(path).isDirectory()) return [{ name: nameOf(path), script: loadScript(path) }];
  const files = readdirSync(path)
    .filter((file) => scriptExtensions.includes(extname(file)))
    .sort();
  if (files.length === 0) throw new Error(`No model scripts (*.yaml, *.yml, *.json) in ${path}`);
  return files.map((file) => ({ name: nameOf(file), script: loadScript(join(path, file)) }));
}

const nameOf = (file: string) => basename(file, extname(file));

function checkNames(catalog: CatalogScript[]): void {
  const seen = new Set<string>();
  for (const { name } of catalog) {
    if (seen.has(name)) {
      throw new Error(
        `Model script catalog holds two scripts named ${JSON.stringify(name)} (file names, or titles of scripts given as data, must differ)`,
      );
    }
    seen.add(name);
  }
}

function checkReachable(catalog: CatalogScript[]): void {
  for (const a of catalog) {
    for (const b of catalog) {
      if (a !== b && shadows(b.selector, a.selector)) {
        throw new Error(
          `Model script ${a.name} can never be chosen: every conversation its when ${describeSelector(a)} ` +
            `matches also matches ${b.name}'s ${describeSelector(b)}`,
        );
      }
    }
  }
}

/**
 * Whether every conversation `narrow` matches is matched by `broad` too: its user text holds
 * broad's, and broad asks nothing of the system prompt that narrow does not ask as well.
 */
function shadows(broad: ScriptSelector, narrow: ScriptSelector): boolean {
  const implied = (want: string | undefined, have: string | undefined) => want === undefined || want === have;
  return (
    narrow.userContains.includes(broad.userContains) &&
    implied(broad.systemContains, narrow.systemContains) &&
    implied(broad.systemLacks, narrow.systemLacks)
  );
}

const describeSelector = ({ selector }: CatalogScript) =>
  [
    `userContains ${JSON.stringify(selector.userContains)}`,
    ...(selector.systemContains ? [`systemContains ${JSON.stringify(selector.systemContains)}`] : []),
    ...(selector.systemLacks ? [`systemLacks ${JSON.stringify(selector.systemLacks)}`] : []),
  ].join(' and ');

/** The scripts whose selector matches a conversation's first user message and its system prompt. */
export function scriptsFor(catalog: CatalogScript[], firstUserMessage: string, system = ''): CatalogScript[] {
  return catalog.filter(
    ({ selector }) =>
      firstUserMessage.includes(selector.userContains) &&
      (selector.systemContains === undefined || system.includes(selector.systemContains)) &&
      (selector.systemLacks === undefined || !system.includes(selector.systemLacks)),
  );
}

/** A conversation routed to a script, and the step now due in it. */
export interface Turn {
  entry: CatalogScript;
  step: number;
}

/** Why a conversation could not be routed: failure message parts. */
export interface Unrouted {
  expected: string;
  received: string;
  /**
   * When no script knows the conversation (not several claiming it): the one line a person who
   * asked the scripted model for their own work reads as the run's failure.
   */
  refusal?: string;
}

/**
 * Routes a chat request without any state: the script is the only one whose selector matches
 * the first user message, the step is the number of answers already in the conversation. So
 * concurrent conversations do not disturb each other and a restarted server picks up where
 * the last one left off.
 */
export function routeTurn(catalog: CatalogScript[], request: ChatRequest): Turn | Unrouted {
  const first = firstUserText(request);
  const matching = scriptsFor(catalog, first, systemText(request));
  if (matching.length === 1) return { entry: matching[0]!, step: assistantTurns(request) };
  const found =
    matching.length === 0
      ? 'none does'
      : `${matching.length} do (${matching.map((entry) => entry.name).join(', ')})`;
  const candidates = catalog.map((entry) => `${entry.name} (${describeSelector(entry)})`).join(', ');
  const shown = first.length > 300 ? `${first.slice(0, 300)}…` : first;
  return {
    expected: `exactly one script whose when matches the conversation's first user message, but ${found}; candidates: ${candidates}`,
    received: `first user message ${JSON.stringify(shown)}`,
    ...(matching.length === 0 && { refusal: unknownPrompt(first, catalog) }),
  };
}

function unknownPrompt(prompt: string, catalog: CatalogScript[]): string {
  const shown = prompt.replace(/\s+/g, ' ').trim();
  return (
    `the scripted model only knows the tasks it has scripts for (${catalog.map((entry) => entry.name).join(', ')}), ` +
    `not "${shown.length > 60 ? `${shown.slice(0, 57)}…` : shown}": set SANDBOX_MODEL_PROVIDER and ` +
    'SANDBOX_MODEL_API_KEY to run your own work (see "Model provider" in docs/sandbox.md)'
  );
}

/**
 * The script a title request is for: the one whose selector the request's user text matches
 * (OpenCode sends its instruction and the prompt as two user messages). Several or none: no
 * script, and the request gets a generic title.
 */
export function scriptForTitle(catalog: CatalogScript[], request: ChatRequest): CatalogScript | undefined {
  const matching = scriptsFor(catalog, allUserText(request));
  return matching.length === 1 ? matching[0] : undefined;
}
