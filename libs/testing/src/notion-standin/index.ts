export * from './notion-standin';
