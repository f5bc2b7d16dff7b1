// Types of hand-copied-figures.mjs, for render-figures.test.ts, which checks a docs page with it directly.
/** Problems naming each line of `file` (README.md or docs/NAME.md) in a checked section that holds a hand-copied table or measured figure. */
export function handCopiedFigures(text: string, file?: string): string[];
