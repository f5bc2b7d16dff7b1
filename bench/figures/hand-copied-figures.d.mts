// Types of hand-copied-figures.mjs, for render-figures.test.ts, which checks pages with it directly.
/** The docs pages not checked whole, each with the reason; every other page and the README are. */
export const NOT_WHOLE: { file: string; reason: string }[];
/** A measured quantity: a number with a unit of time, rate or size, a percentage, or a ratio written 2.4x / x1.17. */
export const MEASURED: RegExp;
/** Problems naming each line of `file` (README.md or docs/NAME.md) that holds a hand-copied table or measured figure. */
export function handCopiedFigures(text: string, file?: string): string[];
