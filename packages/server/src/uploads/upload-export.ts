// Conversion uploads as files, for operators who upload by hand: Google's offline conversion import CSV, Meta's Conversions API JSON body.
import type { UploadDestination } from '@touchline/storage';
import { toCsv } from '../http/csv.js';
import type { GatheredUpload } from './gather-uploads.js';

/** Google's "Conversions from clicks" template columns (no others: Google refuses files with extra columns). */
export const GOOGLE_CSV_HEADER = [
  'Google Click ID',
  'Conversion Name',
  'Conversion Time',
  'Conversion Value',
  'Conversion Currency',
] as const;

export interface UploadFile {
  contentType: string;
  extension: 'csv' | 'json';
  body: string;
  rows: number;
}

/**
 * Google: the template's Parameters row (every time is UTC) and one row per conversion with a gclid;
 * conversions with user data only are left out (the click template has no column for them).
 * `conversionName` is the conversion action's name in Google Ads (default: the conversion's own name).
 */
function googleCsv(gathered: readonly GatheredUpload[], conversionName: string | null): UploadFile {
  const rows: unknown[][] = [];
  for (const g of gathered) {
    if (g.built.kind !== 'payload' || typeof g.built.payload.gclid !== 'string') continue;
    const p = g.built.payload;
    rows.push([
      p.gclid,
      conversionName ?? g.name,
      String(p.conversionDateTime).slice(0, 19),
      p.conversionValue ?? '',
      p.currencyCode ?? '',
    ]);
  }
  return {
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
    body: `Parameters:TimeZone=+0000\r\n${toCsv(GOOGLE_CSV_HEADER, rows)}`,
    rows: rows.length,
  };
}

/** Meta: exactly the Conversions API request body without the token, `{"data": [events]}`, for Events Manager or curl. */
function metaJson(gathered: readonly GatheredUpload[]): UploadFile {
  const data = gathered.flatMap((g) => (g.built.kind === 'payload' ? [g.built.payload] : []));
  return {
    contentType: 'application/json; charset=utf-8',
    extension: 'json',
    body: `${JSON.stringify({ data }, null, 2)}\n`,
    rows: data.length,
  };
}

export function uploadFile(
  d: UploadDestination,
  gathered: readonly GatheredUpload[],
  conversionName: string | null,
): UploadFile {
  return d.platform === 'google_ads' ? googleCsv(gathered, conversionName) : metaJson(gathered);
}
