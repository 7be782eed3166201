export * from './slack-standin';
