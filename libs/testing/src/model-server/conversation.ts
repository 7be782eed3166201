import type { ScriptedToolCall, StepMatch } from './script';

/** The parts of an OpenAI chat-completions request body a script looks at. */
export interface ChatRequest {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages: ChatMessage[];
  tools?: ChatTool[];
}

export interface ChatMessage {
  role: string;
  content?: string | Array<{ type: string; text?: string }> | null;
  tool_calls?: unknown[];
  tool_call_id?: string;
}

export interface ChatTool {
  type: string;
  function: { name: string; parameters?: { properties?: Record<string, unknown>; required?: string[] } };
}

/** The text of a message, whether its content is a string or a list of parts. */
export function messageText(message: ChatMessage | undefined): string {
  if (!message || message.content == null) return '';
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => part.text ?? '').join('');
}

export function toolNames(request: ChatRequest): string[] {
  return (request.tools ?? []).map((tool) => tool.function.name);
}

/** The text of the conversation's first user message: the agent's prompt. */
export function firstUserText(request: ChatRequest): string {
  return messageText(request.messages.find((m) => m.role === 'user'));
}

/**
 * The text of every user message, joined. OpenCode's title request puts its instruction
 * ("Generate a title for this conversation:") and the prompt in two user messages.
 */
export function allUserText(request: ChatRequest): string {
  return request.messages
    .filter((m) => m.role === 'user')
    .map(messageText)
    .join('\n');
}

/** The text of every system message, joined: the harness's instructions and the repository's (AGENTS.md). */
export function systemText(request: ChatRequest): string {
  return request.messages
    .filter((m) => m.role === 'system')
    .map(messageText)
    .join('\n');
}

/**
 * How many answers of the model the conversation already holds. OpenCode sends each earlier
 * step back as one assistant message (its text and all its tool calls together, followed by
 * one tool message per call), so this is the index of the step now due.
 */
export function assistantTurns(request: ChatRequest): number {
  return request.messages.filter((m) => m.role === 'assistant').length;
}

/**
 * OpenCode names each session with a request to `small_model` that offers no tools and
 * whose system prompt makes the model a title generator.
 */
export function isTitleRequest(request: ChatRequest): boolean {
  const system = request.messages
    .filter((m) => m.role === 'system')
    .map(messageText)
    .join('\n');
  return toolNames(request).length === 0 && /title generator/i.test(system);
}

/** Why a request does not satisfy a match, or undefined when it does. */
export function mismatch(match: StepMatch | 'any', request: ChatRequest): string | undefined {
  if (match === 'any') return undefined;
  const messages = request.messages;
  const last = messages[messages.length - 1];
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const system = systemText(request);
  const offered = toolNames(request);
  if (match.lastRole !== undefined && last?.role !== match.lastRole)
    return `last message role is not ${match.lastRole}`;
  if (match.lastContains !== undefined && !messageText(last).includes(match.lastContains)) {
    return `last message does not contain ${JSON.stringify(match.lastContains)}`;
  }
  if (match.userContains !== undefined && !messageText(lastUser).includes(match.userContains)) {
    return `last user message does not contain ${JSON.stringify(match.userContains)}`;
  }
  if (match.systemContains !== undefined && !system.includes(match.systemContains)) {
    return `system prompt does not contain ${JSON.stringify(match.systemContains)}`;
  }
  const missing = (match.toolsInclude ?? []).filter((name) => !offered.includes(name));
  if (missing.length > 0) return `tools do not include ${missing.join(', ')}`;
  return undefined;
}

/**
 * Checks scripted tool calls against the tools the request offers: the tool must be offered,
 * every required parameter given and no unknown parameter used. This is what keeps a script
 * honest when OpenCode renames a tool or a parameter.
 */
export function invalidToolCalls(calls: ScriptedToolCall[], request: ChatRequest): string | undefined {
  const problems: string[] = [];
  for (const call of calls) {
    const tool = request.tools?.find((t) => t.function.name === call.tool);
    if (!tool) {
      problems.push(`tool ${call.tool} is not offered (offered: ${toolNames(request).join(', ') || 'none'})`);
      continue;
    }
    const properties = Object.keys(tool.function.parameters?.properties ?? {});
    const required = tool.function.parameters?.required ?? [];
    const given = Object.keys(call.args);
    const absent = required.filter((name) => !given.includes(name));
    const unknown = given.filter((name) => !properties.includes(name));
    if (absent.length > 0) problems.push(`${call.tool} lacks required ${absent.join(', ')}`);
    if (unknown.length > 0)
      problems.push(`${call.tool} has unknown ${unknown.join(', ')} (known: ${properties.join(', ')})`);
  }
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/** A short picture of a request for failure messages: what actually came. */
export function describeRequest(request: ChatRequest): string {
  const last = request.messages[request.messages.length - 1];
  const text = messageText(last);
  const shown = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  return `${request.messages.length} messages; last role=${last?.role ?? 'none'} content=${JSON.stringify(shown)}; tools=[${toolNames(request).join(', ')}]`;
}
