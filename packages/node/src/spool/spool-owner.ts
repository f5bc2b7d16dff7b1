// Who owns a spool file: its name carries the owner's pid and process start time; pure, so adoption rules are table-tested.

/** This process, as spool file names record it. `origin` (performance.timeOrigin) tells a restarted pid apart. */
export interface ProcessIdentity {
  pid: number;
  origin: number;
}

export type SpoolFileName =
  | { kind: 'owned'; pid: number; origin: number; segment: number }
  | { kind: 'free'; pid: number; origin: number; segment: number };

const OWNED = /^(\d+)-(\d+)-(\d+)\.spool$/;
const FREE = /^free-(\d+)-(\d+)-(\d+)\.spool$/;

export const ownedName = (owner: ProcessIdentity, segment: number): string =>
  `${owner.pid}-${owner.origin}-${segment}.spool`;
export const freeName = (owner: ProcessIdentity, segment: number): string =>
  `free-${owner.pid}-${owner.origin}-${segment}.spool`;

export function parseSpoolName(name: string): SpoolFileName | null {
  const m = OWNED.exec(name) ?? FREE.exec(name);
  if (m === null) return null;
  return {
    kind: name.startsWith('free-') ? 'free' : 'owned',
    pid: Number(m[1]),
    origin: Number(m[2]),
    segment: Number(m[3]),
  };
}

/**
 * What to do with a file found in the spool directory:
 * - `mine`: this process already has it open (a second client on one path: refused);
 * - `adopt`: released on close, or its owner is dead (its pid is gone, or is ours but from an
 *   earlier start, the usual case in a container that restarts the app as pid 1);
 * - `leave`: a live process owns it (a reused pid also looks alive: it waits until that one exits).
 */
export function decideOwnership(
  file: SpoolFileName,
  self: ProcessIdentity,
  isAlive: (pid: number) => boolean,
): 'mine' | 'adopt' | 'leave' {
  if (file.kind === 'free') return 'adopt';
  if (file.pid === self.pid) return file.origin === self.origin ? 'mine' : 'adopt';
  return isAlive(file.pid) ? 'leave' : 'adopt';
}
