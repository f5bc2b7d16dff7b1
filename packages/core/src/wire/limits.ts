// Wire limits shared by the SDK (to cut batches) and the collector (to enforce them).

export const WIRE_LIMITS = Object.freeze({
  /** Items in one batch request. */
  maxItemsPerBatch: 500,
  /** Bytes of one serialized batch request body. */
  maxBatchBytes: 1024 * 1024,
  /** Bytes of one serialized item. */
  maxItemBytes: 32 * 1024,
  /** Keys in one properties/traits object (all levels counted). */
  maxProperties: 200,
  /** Nesting depth of properties/traits (an object inside an object is depth 2). */
  maxDepth: 5,
  /** Characters of a property key. */
  maxKeyLength: 128,
  /** Characters of a string property value. */
  maxStringLength: 8 * 1024,
  /** Characters of an event or conversion name. */
  maxNameLength: 200,
  /** Characters of a URL or referrer. */
  maxUrlLength: 4096,
  /**
   * Largest |revenue| of one conversion. Revenue is exact to the micro-unit (6 decimals) end to end;
   * 1e9 keeps micro-units below 2^53 so every figure is an exact integer sum.
   */
  maxRevenue: 1e9,
});
