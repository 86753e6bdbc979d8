// What the marketing rules see of a priced line. Amounts are integer fen, after earlier steps.
export interface PricedLine {
  lineId: string;
  skuId: number;
  productId: number;
  merchantId: number;
  categoryIds: number[];
  quantity: number;
  /** What the line costs at this point of the pipeline (unit price × quantity minus earlier discounts). */
  amountFen: number;
}

export interface LineAdjustment {
  lineId: string;
  amountFen: number; // the discount taken off this line (positive)
}

export interface RuleOutcome {
  discountFen: number;
  perLine: LineAdjustment[];
  reason: string;
}
