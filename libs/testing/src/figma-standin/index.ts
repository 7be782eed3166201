export * from './figma-standin';
