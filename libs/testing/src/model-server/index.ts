export {
  ScriptedModelServer,
  type ScriptedModelServerOptions,
  type RecordedRequest,
  type RecordedRequestKind,
  type ScriptFailure,
} from './scripted-model-server';
export { type ScriptSource } from './catalog';
export { type AnthropicRequest } from './anthropic-wire';
export {
  loadScript,
  parseScript,
  fillScript,
  scriptsDir,
  type ModelScript,
  type ModelScriptInput,
  type ScriptStep,
  type StepMatch,
  type ScriptSelector,
  type StepResponse,
  type ScriptedToolCall,
  type ScriptUsage,
} from './script';
export { messageText, type ChatRequest, type ChatMessage, type ChatTool } from './conversation';
