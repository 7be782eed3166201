import { randomBytes } from 'node:crypto';
import { SlackError } from './methods';

/** Slack honours a `trigger_id` once, for 3 seconds after the interaction that carried it. */
export const TRIGGER_TTL_MS = 3000;

/** A modal as `views.open` answered it, and whom it was opened for. */
export interface OpenedView {
  user: string;
  /** The view object Slack keeps (and sends back in `view_submission`), `state` empty. */
  view: Record<string, unknown> & { id: string; blocks: Block[] };
  /** Closed by an empty answer to its submission (or never submittable: no submit button). */
  closed: boolean;
}

type Json = Record<string, unknown>;
type Block = Json & { type: string; block_id: string; element?: Json; label?: Json; optional?: boolean };

const BLOCK_TYPES = new Set(['section', 'input', 'context', 'divider', 'header', 'actions', 'image']);
const INPUT_ELEMENTS = new Set([
  'plain_text_input',
  'number_input',
  'static_select',
  'checkboxes',
  'radio_buttons',
  'datepicker',
]);

const shortId = (prefix: string, length = 10) =>
  `${prefix}${randomBytes(8).toString('hex').toUpperCase().slice(0, length)}`;

/** Slack's message for a field it refuses, as `response_metadata.messages` lists them. */
const problem = (text: string, pointer: string) => `[ERROR] ${text} [json-pointer:${pointer}]`;

function textProblems(value: unknown, pointer: string, max: number, kinds: string[]): string[] {
  const text = value as { type?: unknown; text?: unknown } | undefined;
  if (typeof text !== 'object' || text === null || !kinds.includes(String(text.type)))
    return [problem(`must be a text object of type ${kinds.join(' or ')}`, pointer)];
  if (typeof text.text !== 'string' || text.text.length === 0)
    return [problem('must be a non-empty string', `${pointer}/text`)];
  return text.text.length > max ? [problem(`must be at most ${max} characters`, `${pointer}/text`)] : [];
}

/** What Slack refuses in a modal view (the parts of Block Kit Horizon's modals use). */
function viewProblems(view: Json): string[] {
  const at = '/view';
  const out: string[] = [];
  if (view.type !== 'modal') out.push(problem('must be modal', `${at}/type`));
  out.push(...textProblems(view.title, `${at}/title`, 24, ['plain_text']));
  for (const key of ['submit', 'close'])
    if (view[key] !== undefined) out.push(...textProblems(view[key], `${at}/${key}`, 24, ['plain_text']));
  if (view.private_metadata !== undefined && String(view.private_metadata).length > 3000)
    out.push(problem('must be at most 3000 characters', `${at}/private_metadata`));
  if (view.callback_id !== undefined && String(view.callback_id).length > 255)
    out.push(problem('must be at most 255 characters', `${at}/callback_id`));
  const blocks = view.blocks;
  if (!Array.isArray(blocks) || blocks.length > 100)
    return [...out, problem('must be an array of at most 100 blocks', `${at}/blocks`)];
  const ids = new Set<string>();
  blocks.forEach((block: Json, i) => {
    const here = `${at}/blocks/${i}`;
    if (!BLOCK_TYPES.has(String(block?.type)))
      return out.push(problem('unsupported block type', `${here}/type`));
    if (block.block_id !== undefined) {
      const id = String(block.block_id);
      if (id.length > 255) out.push(problem('must be at most 255 characters', `${here}/block_id`));
      if (ids.has(id)) out.push(problem(`duplicate block_id ${id}`, `${here}/block_id`));
      ids.add(id);
    }
    if (block.type === 'section')
      out.push(...textProblems(block.text, `${here}/text`, 3000, ['plain_text', 'mrkdwn']));
    if (block.type === 'input') out.push(...inputProblems(block, here));
  });
  if (blocks.some((b: Json) => b?.type === 'input') && view.submit === undefined)
    out.push(problem('submit is required when the view has input blocks', `${at}/submit`));
  return out;
}

function inputProblems(block: Json, here: string): string[] {
  const out = textProblems(block.label, `${here}/label`, 2000, ['plain_text']);
  if (block.hint !== undefined) out.push(...textProblems(block.hint, `${here}/hint`, 2000, ['plain_text']));
  const element = block.element as Json | undefined;
  if (!element || !INPUT_ELEMENTS.has(String(element.type)))
    return [...out, problem('unsupported input element', `${here}/element/type`)];
  if (typeof element.action_id !== 'string' || element.action_id.length > 255)
    out.push(problem('must be a string of at most 255 characters', `${here}/element/action_id`));
  if (element.type === 'number_input' && typeof element.is_decimal_allowed !== 'boolean')
    out.push(problem('is_decimal_allowed is required', `${here}/element/is_decimal_allowed`));
  return out;
}

/**
 * The views Slack keeps for the app, and the trigger ids it hands out with interactions.
 * `views.open` spends a trigger: unknown ones are `invalid_trigger_id`, ones past their 3 seconds
 * `expired_trigger_id`, and used ones `exchanged_trigger_id`, as Slack answers.
 */
export class SlackViews {
  readonly opened: OpenedView[] = [];
  private readonly triggers = new Map<string, { user: string; issuedAt: number; used: boolean }>();

  constructor(private readonly app: { teamId: string; appId: string; botId: string; triggerTtlMs: number }) {}

  /** The trigger id Slack puts in an interaction `user` starts (a press, a submission). */
  issueTrigger(user: string): string {
    const id = `${Date.now()}.${randomBytes(6).readUIntBE(0, 6)}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { user, issuedAt: Date.now(), used: false });
    return id;
  }

  open(args: { trigger_id?: unknown; view: Json }): Json {
    const trigger = this.triggers.get(String(args.trigger_id ?? ''));
    if (!trigger) throw new SlackError('invalid_trigger_id');
    if (Date.now() - trigger.issuedAt > this.app.triggerTtlMs) throw new SlackError('expired_trigger_id');
    if (trigger.used) throw new SlackError('exchanged_trigger_id');
    const problems = viewProblems(args.view);
    if (problems.length) throw new SlackError('invalid_arguments', problems);
    trigger.used = true;
    const id = shortId('V');
    const blocks = (args.view.blocks as Json[]).map((b): Block => ({
      ...b,
      type: String(b.type),
      block_id: String(b.block_id ?? shortId('', 5)),
    }));
    const view = {
      ...args.view,
      id,
      team_id: this.app.teamId,
      blocks,
      private_metadata: String(args.view.private_metadata ?? ''),
      callback_id: String(args.view.callback_id ?? ''),
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      clear_on_close: false,
      notify_on_close: false,
      previous_view_id: null,
      root_view_id: id,
      app_id: this.app.appId,
      external_id: '',
      app_installed_team_id: this.app.teamId,
      bot_id: this.app.botId,
    };
    this.opened.push({ user: trigger.user, view, closed: args.view.submit === undefined });
    return { view };
  }

  get(viewId: string): OpenedView {
    const found = this.opened.find((v) => v.view.id === viewId);
    if (!found) throw new Error(`no view ${viewId} was opened`);
    return found;
  }

  /**
   * `state.values` of the view as Slack's client submits it with `typed` (input block id → text;
   * the rest left empty). Throws what the client would show instead of submitting: a required
   * input left empty, a number input given something else.
   */
  submittedValues(opened: OpenedView, typed: Record<string, string>): Json {
    if (opened.closed) throw new Error(`view ${opened.view.id} is closed: Slack submits it no more`);
    const inputs = opened.view.blocks.filter((b) => b.type === 'input');
    for (const id of Object.keys(typed))
      if (!inputs.some((b) => b.block_id === id))
        throw new Error(`view ${opened.view.id} has no input ${id}`);
    const values: Json = {};
    for (const block of inputs) {
      const element = block.element as Json & { type: string; action_id: string };
      const text = typed[block.block_id]?.trim() ? typed[block.block_id]! : null;
      if (text === null && !block.optional)
        throw new Error(`Slack asks for "${block.block_id}" before submitting`);
      if (text !== null && element.type === 'number_input') {
        const pattern = element.is_decimal_allowed ? /^-?\d+(\.\d+)?$/ : /^-?\d+$/;
        if (!pattern.test(text)) throw new Error(`Slack's number input ${block.block_id} takes no "${text}"`);
      }
      values[block.block_id] = { [element.action_id]: { type: element.type, value: text } };
    }
    return values;
  }
}
