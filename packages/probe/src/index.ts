// Public surface of @touchline/probe: explicit exports only.
export { runProbe } from './run-probe.js';
export type { ProbeOptions } from './probe-options.js';
export type { ProbeReport, ProbeSummary } from './probe-report.js';
export type { ProbeScript, ProbeStep, ProbeUser, StepResponse } from './probe-script.js';
export { loadScript } from './probe-script.js';
export { VIOLATION_KINDS, type Violation, type ViolationKind, type RequestRef } from './violation.js';
export { checkTarget, isLoopbackHost, type TargetCheck } from './target-check.js';
export { formatReport } from './format-report.js';
export { probeCommand, PROBE_HELP, type ProbeCommandIo } from './probe-command.js';
