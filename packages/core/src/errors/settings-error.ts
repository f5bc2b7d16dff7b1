// Raised once when settings fail validation, listing every problem found.
import { TouchlineError } from './touchline-error.js';

/** One entry per invalid setting: the dotted path and what is wrong with it. */
export interface SettingsProblem {
  path: string;
  message: string;
}

export class SettingsError extends TouchlineError {
  readonly problems: readonly SettingsProblem[];

  constructor(where: string, problems: readonly SettingsProblem[]) {
    const list = problems.map((p) => `  - ${p.path || '(root)'}: ${p.message}`).join('\n');
    super('invalid_settings', `Invalid ${where} settings:\n${list}`);
    this.name = 'SettingsError';
    this.problems = problems;
  }
}
