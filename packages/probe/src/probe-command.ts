// `touchline probe <base-url>`: runs the probe from the command line; exit 0 clean, 1 violations, 2 usage.
import { parseArgs } from 'node:util';
import { SettingsError, TouchlineError } from '@touchline/core';
import { formatReport } from './format-report.js';
import { loadScript } from './probe-script.js';
import { runProbe } from './run-probe.js';
import { checkTarget } from './target-check.js';

export const PROBE_HELP = `Usage:
  touchline probe <base-url> [--users 200] [--requests 5000] [--concurrency 100]
                  [--per-user 3] [--timeout 10000] [--max-duration 60000]
                  [--script FILE] [--ignore-cookie NAME]... [--allow-host HOST]... [--json]

  Drives many virtual browsers (own cookie jar, own marker in x-probe-user and ?probe_user=)
  against your app and reports responses, cookies and sessions that reach the wrong browser.
  Only loopback hosts unless --allow-host names the host. Exit 0 clean, 1 violations (or no response at all), 2 usage.`;

export interface ProbeCommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
}

const INTEGER_FLAGS = {
  users: 'users',
  requests: 'requests',
  concurrency: 'concurrency',
  'per-user': 'perUserConcurrency',
  timeout: 'timeoutMs',
  'max-duration': 'maxDurationMs',
} as const;

type IntegerFlag = keyof typeof INTEGER_FLAGS;

function parseProbeArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      users: { type: 'string' },
      requests: { type: 'string' },
      concurrency: { type: 'string' },
      'per-user': { type: 'string' },
      timeout: { type: 'string' },
      'max-duration': { type: 'string' },
      script: { type: 'string' },
      json: { type: 'boolean', default: false },
      'allow-host': { type: 'string', multiple: true },
      'ignore-cookie': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

/** Flag text to numbers; non-integers become NaN so the options check reports them with the rest. */
function integerOptions(
  values: Partial<Record<IntegerFlag, string>>,
): Partial<Record<(typeof INTEGER_FLAGS)[IntegerFlag], number>> {
  const out: Partial<Record<(typeof INTEGER_FLAGS)[IntegerFlag], number>> = {};
  for (const [flag, key] of Object.entries(INTEGER_FLAGS) as Array<
    [IntegerFlag, (typeof INTEGER_FLAGS)[IntegerFlag]]
  >) {
    const raw = values[flag];
    if (raw !== undefined) out[key] = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  }
  return out;
}

const usage = (io: ProbeCommandIo, message: string): number => {
  io.stderr.write(`touchline probe: ${message}\n\n${PROBE_HELP}\n`);
  return 2;
};

export async function probeCommand(argv: string[], io: ProbeCommandIo): Promise<number> {
  let parsed: ReturnType<typeof parseProbeArgs>;
  try {
    parsed = parseProbeArgs(argv);
  } catch (error) {
    return usage(io, error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${PROBE_HELP}\n`);
    return 0;
  }
  const [baseUrl, ...extra] = positionals;
  if (baseUrl === undefined) return usage(io, 'a base URL is required, e.g. touchline probe http://127.0.0.1:3000/');
  if (extra.length > 0) return usage(io, `unexpected argument "${extra[0] ?? ''}"`);
  const allowHosts = values['allow-host'] ?? [];
  const target = checkTarget(baseUrl, allowHosts);
  if (target.kind === 'err') {
    io.stderr.write(`touchline probe: ${target.error}\n`);
    return 2;
  }
  try {
    const script = values.script === undefined ? undefined : await loadScript(values.script);
    const report = await runProbe({
      baseUrl,
      allowHosts,
      ignoreCookies: values['ignore-cookie'] ?? [],
      script,
      ...integerOptions(values),
    });
    io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    const { requests, errors, violations } = report.summary;
    // A run in which nothing answered proved nothing; passing it would hide an app that is down.
    if (requests > 0 && errors === requests) {
      io.stderr.write(
        `touchline probe: none of the ${requests} requests got a response; is the app listening at ${baseUrl}?\n`,
      );
      return 1;
    }
    return violations > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof SettingsError || error instanceof TouchlineError) return usage(io, error.message);
    throw error;
  }
}
