// Number and machine formatting shared by the README figure renderers, so every block states its run the same way.

/** Milliseconds: whole above 100, one decimal below. */
export const ms = (n) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : Number(n.toFixed(1)).toString());

/** A whole number with thousands separators. */
export const int = (n) => Math.round(n).toLocaleString('en-US');

/** `2026-12-07 00:44` from an ISO date. */
export const when = (iso) => iso.slice(0, 16).replace('T', ' ');

/** The machine a result was measured on, with the load average at the start (when recorded) and the end of the run. */
export function machineLine(r) {
  const m = r.machine;
  const load =
    m.load1AtStart === undefined
      ? `load average ${m.load1.toFixed(1)} at the end of the run`
      : `load average ${m.load1AtStart.toFixed(1)} at the start and ${m.load1.toFixed(1)} at the end of the run`;
  return `${m.cpus} x ${m.model}, ${m.memGiB} GiB, Node ${m.node.replace(/^v/, '')}, ${load}`;
}

/** The settings of a result that differ from a bench's defaults, as `name value, ...`, or `none`. */
export function nonDefault(settings, defaults) {
  const changed = Object.entries(defaults)
    .filter(([k, v]) => settings[k] !== undefined && settings[k] !== v)
    .map(([k]) => `${k} ${settings[k]}`);
  return changed.length === 0 ? 'none' : changed.join(', ');
}
