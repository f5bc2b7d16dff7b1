// Renders a ProbeReport for people: a one-screen summary and the first violations of each kind.
import type { ProbeReport } from './probe-report.js';
import { VIOLATION_KINDS } from './violation.js';

/** Violations shown per kind; the JSON output has all kept ones. */
const SHOWN_PER_KIND = 3;

const WHAT = {
  'crossed-response':
    "responses carrying another browser's marker (shared request state, uncorrelated IPC, wrong connection: L1/L3/L4)",
  'foreign-cookie': 'cookies handed to the wrong browser (L1)',
  'session-flap': 'cookies set back to a value the browser had moved away from (L2)',
  'shape-mismatch': 'responses that do not look like the endpoint asked for (L4)',
  'script-expectation': 'script expectations that failed',
} as const;

export function formatReport(report: ProbeReport): string {
  const { summary } = report;
  const lines = [
    `touchline probe ${summary.target}`,
    `  ${summary.users} browsers, ${summary.requests} requests, ${summary.errors} errors, ${summary.durationMs} ms` +
      (summary.stopped === 'deadline' ? ' (stopped at --max-duration before the request budget was used)' : ''),
  ];
  if (summary.violations === 0) {
    const responses = summary.requests - summary.errors;
    lines.push(
      `  no violations in ${responses} responses` +
        (responses > 0 ? ': every response, cookie and session stayed with its own browser' : ''),
    );
  } else {
    lines.push(
      `  ${summary.violations} violations (the first ${SHOWN_PER_KIND} of each kind below; --json lists up to maxViolations)`,
    );
  }
  for (const kind of VIOLATION_KINDS) {
    const count = summary.byKind[kind];
    if (count === 0) continue;
    lines.push('', `${kind}: ${count} — ${WHAT[kind]}`);
    for (const v of report.violations.filter((x) => x.kind === kind).slice(0, SHOWN_PER_KIND)) {
      lines.push(
        `  #${v.request.seq} ${v.request.method} ${v.request.path}`,
        `    user:     ${v.user}`,
        `    expected: ${v.expected}`,
        `    received: ${v.received}`,
      );
    }
  }
  if (report.sampleErrors.length > 0) {
    lines.push('', 'first errors:', ...report.sampleErrors.map((e) => `  ${e}`));
  }
  return `${lines.join('\n')}\n`;
}
