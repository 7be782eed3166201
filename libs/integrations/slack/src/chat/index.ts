export * from './chat-port';
export * from './slack-chat';
export * from './slack-views';
