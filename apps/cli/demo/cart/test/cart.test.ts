import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { lineTotal } from '../src/cart';

test('a line costs its unit price times its quantity', () => {
  assert.equal(lineTotal({ sku: 'tea', unitPriceCents: 350, quantity: 3 }), 1050);
});
