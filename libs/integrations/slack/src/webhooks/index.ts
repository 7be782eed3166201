export * from './verify';
export * from './normalize';
