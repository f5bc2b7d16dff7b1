// Turns a zod error into the flat problem list used by SettingsError and wire validation.
import type { z } from 'zod';
import type { SettingsProblem } from './settings-error.js';

export function zodProblems(error: z.ZodError): SettingsProblem[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}
