/** One line of a shopping cart. Prices are integer cents. */
export interface LineItem {
  sku: string;
  unitPriceCents: number;
  quantity: number;
}

/** The price of one line: unit price times quantity. */
export function lineTotal(item: LineItem): number {
  return item.unitPriceCents * item.quantity;
}
