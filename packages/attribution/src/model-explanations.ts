// One plain sentence per model, shown beside its numbers so a reader sees what the choice of model changes.
import type { ModelName } from './attribution-result.js';

/** Typed by ModelName: a model added without its explanation fails to compile. */
export const MODEL_EXPLANATIONS: Readonly<Record<ModelName, string>> = Object.freeze({
  first_touch: 'All credit to the first session in the journey: which channels bring people in.',
  last_touch: 'All credit to the session the conversion happened in (or the last before it).',
  last_non_direct:
    'All credit to the last session that was not direct: a return by typed URL or bookmark does not take credit from the channel that brought the visitor.',
  linear: 'Credit split equally over every session in the journey.',
  time_decay: 'Credit split over the sessions, halving for every 7 days a session lies before the conversion.',
  position_based: '40% to the first session, 40% to the last, 20% shared by the sessions between.',
  markov:
    'Credit by removal effect in an absorbing Markov chain over converting and non-converting paths: how many conversions would be lost without the channel.',
  shapley:
    "Credit by Shapley value (Zhao et al.'s simplified form): each channel's average marginal contribution to conversion over the channel sets seen.",
});
