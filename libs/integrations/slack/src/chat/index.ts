export * from './chat-port';
export * from './slack-chat';
