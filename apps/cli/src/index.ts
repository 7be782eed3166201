// What the stack-wide tests (e2e/) drive of the CLI: the demo's world and scenario constants.
export { DemoWorld } from './commands/demo/demo-world';
export { DEMO_PROJECT, DEMO_REPO } from './commands/demo/demo-scenario';
