// The cart's page: what a shopper sees of the arithmetic in src/cart.ts, rendered on the server
// from the compiled module (`npm run build` first), so each change to the cart shows on it.
// Horizon's browser check starts it as the preview (.horizon/config.yaml) and screenshots it.
'use strict';
const http = require('node:http');
const cart = require('../dist/src/cart.js');

const items = [
  { sku: 'Green tea, 100 g', unitPriceCents: 350, quantity: 3 },
  { sku: 'Stoneware mug', unitPriceCents: 1200, quantity: 1 },
  { sku: 'Bamboo whisk', unitPriceCents: 890, quantity: 2 },
];
const money = (cents) => `$${(cents / 100).toFixed(2)}`;
const escape = (text) => String(text).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function totals() {
  const rows = [];
  if (typeof cart.subtotal === 'function') rows.push(['Subtotal', cart.subtotal(items)]);
  if (typeof cart.applyDiscount === 'function' && typeof cart.subtotal === 'function')
    rows.push(['With code SAVE10', cart.applyDiscount(cart.subtotal(items), 'SAVE10')]);
  if (typeof cart.orderTotal === 'function')
    rows.push(['Total (8% tax)', cart.orderTotal(items, { taxRatePercent: 8 })]);
  return rows;
}

function page() {
  const lines = items
    .map(
      (item) =>
        `<tr><td>${escape(item.sku)}</td><td class="n">${item.quantity}</td>` +
        `<td class="n">${money(item.unitPriceCents)}</td><td class="n">${money(cart.lineTotal(item))}</td></tr>`,
    )
    .join('');
  const sums = totals()
    .map(
      ([label, cents]) =>
        `<tr class="sum"><th colspan="3">${label}</th><td class="n">${money(cents)}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cart</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;color:#1f2328}h1{font-size:1.5rem}
table{border-collapse:collapse;min-width:28rem}td,th{padding:.4rem .8rem;border-bottom:1px solid #d0d7de;text-align:left}
.n{text-align:right}.sum th,.sum td{font-weight:600;background:#f6f8fa}</style></head>
<body><h1>Your cart</h1><table><thead><tr><th>Item</th><th class="n">Qty</th><th class="n">Price</th><th class="n">Line</th></tr></thead>
<tbody>${lines}${sums}</tbody></table></body></html>`;
}

const port = Number(process.env.PORT ?? 4173);
http
  .createServer((request, response) => {
    if (request.url !== '/') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page());
  })
  .listen(port, '127.0.0.1', () => console.log(`cart page on http://127.0.0.1:${port}/`));
