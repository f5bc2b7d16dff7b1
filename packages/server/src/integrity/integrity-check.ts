// The shape of one integrity check (what it reads, how it measures, when it judges), apart from the list of checks so check files can share it without an import circle.
import type { IntegrityFacts, SdkHealthFacts } from '@touchline/storage';
import type { CheckResult, Thresholds } from './integrity-report.js';

/** Below this many data points a check says "not enough data" instead of judging. */
export const MIN_SAMPLE = 50;

export interface Measurement {
  value: number | null;
  note?: string;
}

/** What checks read: storage's integrity facts, plus what SDK instances reported in the last 24 h (absent: not read). */
export type CheckFacts = IntegrityFacts & { sdkHealthDay?: SdkHealthFacts };

export interface IntegrityCheck {
  id: string;
  title: string;
  explanation: string;
  unit: CheckResult['unit'];
  window: string;
  /** From DESIGN.md's table, except session-rate, which the table leaves open. */
  thresholds: Thresholds;
  /** How many data points the value rests on, compared with MIN_SAMPLE. */
  sample(f: CheckFacts): number;
  /** Data points needed before the check judges. @default MIN_SAMPLE */
  minSample?: number;
  measure(f: CheckFacts): Measurement;
}
