import { z } from 'zod';
import type { ModelProvider } from '@horizon/contracts';

/**
 * USD per million tokens. `cachedInput` is a prompt token read from the provider's cache,
 * `cacheWrite` one written to it (Anthropic charges more for those; OpenAI nothing extra).
 * Absent: charged as plain input.
 */
export const modelPriceSchema = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cachedInput: z.number().nonnegative().optional(),
  cacheWrite: z.number().nonnegative().optional(),
});
export type ModelPrice = z.infer<typeof modelPriceSchema>;

/**
 * Keys are model id prefixes, optionally qualified by provider (`anthropic:claude-sonnet-4`):
 * providers answer with dated ids (`gpt-4o-2024-08-06`), so the longest matching prefix wins,
 * a provider-qualified one before a plain one.
 */
export type PriceTable = Record<string, ModelPrice>;

/** The providers' public list prices (standard tier, 5-minute cache writes) of common models. */
export const defaultModelPrices: PriceTable = {
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  o1: { input: 15, cachedInput: 7.5, output: 60 },
  'o3-mini': { input: 1.1, cachedInput: 0.55, output: 4.4 },
  o3: { input: 2, cachedInput: 0.5, output: 8 },
  'o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
  'claude-opus-4-5': { input: 5, cachedInput: 0.5, cacheWrite: 6.25, output: 25 },
  'claude-opus-4': { input: 15, cachedInput: 1.5, cacheWrite: 18.75, output: 75 },
  'claude-sonnet-4': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
  'claude-3-7-sonnet': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
  'claude-haiku-4-5': { input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 5 },
  'claude-3-5-haiku': { input: 0.8, cachedInput: 0.08, cacheWrite: 1, output: 4 },
};

export interface PricedUsage {
  model: string | null;
  input: number;
  output: number;
  cachedInput: number;
  cacheWriteInput: number;
}

/** The price of `model`, or undefined: unpriced. Gateways' `vendor/model` ids match by their model part. */
export function priceOf(table: PriceTable, provider: ModelProvider, model: string): ModelPrice | undefined {
  const id = model.slice(model.lastIndexOf('/') + 1);
  const longest = (candidates: Array<[string, string]>) =>
    candidates
      .filter(([prefix]) => id.startsWith(prefix))
      .sort(([a], [b]) => b.length - a.length)
      .map(([, key]) => table[key]!)[0];
  const keys = Object.keys(table);
  return (
    longest(keys.filter((k) => k.startsWith(`${provider}:`)).map((k) => [k.slice(provider.length + 1), k])) ??
    longest(keys.filter((k) => !k.includes(':')).map((k) => [k, k]))
  );
}

/** USD, to the micro-dollar the Run table keeps; null when the model is unpriced. */
export function costOf(table: PriceTable, provider: ModelProvider, usage: PricedUsage): number | null {
  if (usage.input + usage.output === 0) return 0;
  const price = usage.model ? priceOf(table, provider, usage.model) : undefined;
  if (!price) return null;
  const plain = usage.input - usage.cachedInput - usage.cacheWriteInput;
  const micro =
    plain * price.input +
    usage.cachedInput * (price.cachedInput ?? price.input) +
    usage.cacheWriteInput * (price.cacheWrite ?? price.input) +
    usage.output * price.output;
  return Math.round(micro) / 1_000_000;
}
