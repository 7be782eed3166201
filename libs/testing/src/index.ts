export * from './model-server';
export * from './stack';
export * from './nats-server';
export * from './linear-standin';
export * from './slack-standin';
export * from './github-standin';
export * from './stack-process';
export * from './until';
