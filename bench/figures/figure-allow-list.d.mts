// Types of figure-allow-list.mjs, for render-figures.test.ts.
/** Texts that hold a number with a unit but no measurement, each with the reason. */
export const FIGURE_ALLOW_LIST: { file: string; text: string; reason: string }[];
