// Types of tools/lib/services.mjs (plain JavaScript: it runs before node_modules exists), for specs.
export interface Service {
  name: string;
  portVar: string;
  port: number;
  schema: string;
}
export const SERVICES: Service[];
export const RUNNER_BUNDLE: string;
export function bundleOf(name: string): string;
