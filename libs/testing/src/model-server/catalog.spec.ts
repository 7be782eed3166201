import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog, routeTurn, scriptForTitle } from './catalog';
import type { ChatRequest } from './conversation';
import { parseScript, type ModelScriptInput } from './script';

const plan: ModelScriptInput = {
  title: 'Plan the cart',
  when: { userContains: 'Plan this work' },
  steps: [{ respond: { text: 'Reading.' } }, { respond: { text: 'Here is the plan.' } }],
};
const subtotal: ModelScriptInput = {
  title: 'Add subtotal',
  when: { userContains: 'Add cart subtotal' },
  steps: [{ respond: { text: 'Writing {{workdir}}/src/cart.ts' } }],
};

const user = (content: string) => ({ role: 'user', content });
const assistant = { role: 'assistant', content: '', tool_calls: [{ id: 'c', type: 'function' }] };
const tool = { role: 'tool', tool_call_id: 'c', content: 'ok' };
const request = (...messages: ChatRequest['messages']): ChatRequest => ({
  messages: [{ role: 'system', content: 'You are opencode' }, ...messages],
});

describe('a script catalog', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'catalog-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (file: string, script: ModelScriptInput) => {
    writeFileSync(join(dir, file), JSON.stringify(script));
    return join(dir, file);
  };

  it('loads scripts given as data (named by title), files and folders (named by file), and fills vars', () => {
    mkdtempSync(join(dir, 'sub-'));
    write('plan.json', plan);
    writeFileSync(join(dir, 'notes.md'), 'not a script');
    const other = mkdtempSync(join(tmpdir(), 'catalog-other-'));
    try {
      writeFileSync(
        join(other, 'subtotal.yaml'),
        `when: { userContains: Add cart subtotal }\nsteps: [{ respond: { text: '{{workdir}}' } }]\n`,
      );
      const catalog = loadCatalog(
        [dir, join(other, 'subtotal.yaml'), { ...plan, title: 'Inline', when: { userContains: 'Inline' } }],
        { workdir: '/workspace' },
      );
      expect(catalog.map((e) => e.name)).toEqual(['plan', 'subtotal', 'Inline']);
      expect(catalog[1]!.script.steps[0]!.respond.text).toBe('/workspace');
      expect(catalog[1]!.selector).toEqual({ userContains: 'Add cart subtotal' });
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('takes a file name under libs/testing/scripts, and refuses one without a when', () => {
    expect(() => loadCatalog(['say-done.json'], {})).toThrow(
      'Model script say-done has no "when": a catalog chooses scripts by it, so each needs one',
    );
    expect(() => loadCatalog(['no-such-script.yaml'], {})).toThrow(
      /Model script no-such-script\.yaml not found/,
    );
  });

  it('refuses an empty catalog, an empty folder, duplicate names and an unknown variable', () => {
    expect(() => loadCatalog([], {})).toThrow('catalog is empty');
    expect(() => loadCatalog([dir], {})).toThrow(`No model scripts (*.yaml, *.yml, *.json) in ${dir}`);
    expect(() =>
      loadCatalog([write('plan.json', plan), { ...plan, title: 'plan', when: { userContains: 'x' } }], {}),
    ).toThrow('two scripts named "plan"');
    expect(() => loadCatalog([subtotal], {})).toThrow(
      'Model script Add subtotal uses {{workdir}} but no such variable was given',
    );
  });

  it('refuses a script that another one shadows, since it could never be chosen', () => {
    const broad = { ...plan, title: 'Broad', when: { userContains: 'Plan' } };
    expect(() => loadCatalog([plan, broad], {})).toThrow(
      `Model script Plan the cart can never be chosen: every conversation its when userContains "Plan this work" matches also matches Broad's userContains "Plan"`,
    );
    expect(() => loadCatalog([plan, { ...plan, title: 'Twin' }], {})).toThrow(/can never be chosen/);
  });

  it('tells apart scripts for one task by what the system prompt holds, and still refuses a shadowed one', () => {
    const knows = {
      ...subtotal,
      title: 'Knows',
      when: { userContains: 'Add cart subtotal', systemContains: 'npm run lint' },
    };
    const guesses = {
      ...subtotal,
      title: 'Guesses',
      when: { userContains: 'Add cart subtotal', systemLacks: 'npm run lint' },
    };
    expect(loadCatalog([knows, guesses], { workdir: '/w' }).map((e) => e.name)).toEqual(['Knows', 'Guesses']);
    // Without a systemLacks, the plain script matches every conversation the narrower one does.
    expect(() => loadCatalog([knows, subtotal], { workdir: '/w' })).toThrow(
      `Model script Knows can never be chosen: every conversation its when userContains "Add cart subtotal" and systemContains "npm run lint" matches also matches Add subtotal's userContains "Add cart subtotal"`,
    );
    expect(() =>
      parseScript({ ...subtotal, when: { userContains: 'x', systemContains: 'y', systemLacks: 'y' } }),
    ).toThrow(/cannot be the same text/);
  });

  it('keeps the when strict: userContains and the system conditions only, not empty', () => {
    expect(() => parseScript({ ...plan, when: { userContains: 'x', lastRole: 'user' } }, 'w.yaml')).toThrow(
      /Invalid model script w\.yaml[\s\S]*lastRole[\s\S]*when/,
    );
    expect(() => parseScript({ ...plan, when: { userContains: '' } })).toThrow(/when\.userContains/);
    expect(() => parseScript({ ...plan, when: 'Plan' })).toThrow(/when/);
  });
});

describe('routing a conversation', () => {
  const catalog = loadCatalog([plan, subtotal], { workdir: '/w' });

  it('picks the script by the first user message and the step by the answers so far', () => {
    const fresh = routeTurn(catalog, request(user('Plan this work into issues: cart')));
    expect(fresh).toMatchObject({ entry: { name: 'Plan the cart' }, step: 0 });
    // A later user message (a reminder, a follow-up) does not reroute the conversation.
    const later = routeTurn(
      catalog,
      request(
        user('Add cart subtotal, please'),
        assistant,
        tool,
        assistant,
        tool,
        user('Plan this work too'),
      ),
    );
    expect(later).toMatchObject({ entry: { name: 'Add subtotal' }, step: 2 });
  });

  it('names the candidates when no script or several match', () => {
    expect(routeTurn(catalog, request(user('Fix the login page')))).toEqual({
      expected:
        `exactly one script whose when matches the conversation's first user message, but none does; ` +
        `candidates: Plan the cart (userContains "Plan this work"), Add subtotal (userContains "Add cart subtotal")`,
      received: 'first user message "Fix the login page"',
      refusal:
        'the scripted model only knows the tasks it has scripts for (Plan the cart, Add subtotal), not "Fix the login page": ' +
        'set SANDBOX_MODEL_PROVIDER and SANDBOX_MODEL_API_KEY to run your own work (see "Model provider" in docs/sandbox.md)',
    });
    const both = routeTurn(catalog, request(user('Plan this work: Add cart subtotal')));
    expect(both).toMatchObject({
      expected: expect.stringContaining('but 2 do (Plan the cart, Add subtotal)'),
    });
  });

  it('routes by the system prompt where the scripts ask about it', () => {
    const when = (system: string) => ({ userContains: 'Greet', [system]: 'Use npm run lint.' });
    const pair = loadCatalog(
      [
        { title: 'Knows', when: when('systemContains'), steps: [{ respond: { text: 'lint' } }] },
        { title: 'Guesses', when: when('systemLacks'), steps: [{ respond: { text: 'look around' } }] },
      ],
      {},
    );
    const withConvention: ChatRequest = {
      messages: [
        { role: 'system', content: 'You are opencode' },
        { role: 'system', content: 'Instructions from: AGENTS.md\nUse npm run lint.' },
        user('Greet Ana'),
      ],
    };
    expect(routeTurn(pair, withConvention)).toMatchObject({ entry: { name: 'Knows' }, step: 0 });
    expect(routeTurn(pair, request(user('Greet Ana')))).toMatchObject({
      entry: { name: 'Guesses' },
      step: 0,
    });
  });

  it('finds the title request’s script from its user text, or none', () => {
    const title = (prompt: string): ChatRequest => ({
      messages: [
        { role: 'system', content: 'You are a title generator.' },
        user('Generate a title for this conversation:\n'),
        user(prompt),
      ],
    });
    expect(scriptForTitle(catalog, title('Add cart subtotal to cart.ts'))?.name).toBe('Add subtotal');
    expect(scriptForTitle(catalog, title('Something else'))).toBeUndefined();
    expect(scriptForTitle(catalog, title('Plan this work; Add cart subtotal'))).toBeUndefined();
  });
});
