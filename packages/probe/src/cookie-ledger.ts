// Checks 2 and 3: who was given each cookie value first, and each browser's history per cookie name.
import { isDeletion, type SetCookie } from './cookie-jar.js';
import { violation, type RequestRef, type Violation } from './violation.js';

/**
 * Only identifier-like values are tracked: constants such as `1`, `-` or `dark` are legitimately
 * shared by every browser and legitimately go back and forth. Identifier-like means at least 8
 * characters with a digit, or at least 16 characters (random tokens, UUIDs, signed ids).
 */
export function isIdentifierLike(value: string): boolean {
  return (value.length >= 8 && /\d/.test(value)) || value.length >= 16;
}

interface History {
  current: string;
  earlier: string[];
}

export interface CookieLedger {
  /** Records the cookies one response set for browser `index` and returns the violations. */
  observe(index: number, user: string, request: RequestRef, cookies: readonly SetCookie[], now: number): Violation[];
}

/** One ledger per probe run, shared by its browsers (state lives in the returned object). */
export function createCookieLedger(ignoreNames: readonly string[] = []): CookieLedger {
  const ignored = new Set(ignoreNames);
  const owners = new Map<string, { index: number; user: string; seq: number }>();
  const histories = new Map<number, Map<string, History>>();

  const checkOwner = (index: number, user: string, request: RequestRef, c: SetCookie): Violation | null => {
    const key = `${c.name}=${c.value}`;
    const owner = owners.get(key);
    if (owner === undefined) {
      owners.set(key, { index, user, seq: request.seq });
      return null;
    }
    if (owner.index === index) return null;
    return violation(
      'foreign-cookie',
      user,
      request,
      `a ${c.name} value no other browser was given`,
      `${key}, first given to ${owner.user} (request #${owner.seq})`,
    );
  };

  const checkFlap = (index: number, user: string, request: RequestRef, c: SetCookie): Violation | null => {
    const byName = histories.get(index) ?? new Map<string, History>();
    histories.set(index, byName);
    const history = byName.get(c.name);
    if (history === undefined) {
      byName.set(c.name, { current: c.value, earlier: [] });
      return null;
    }
    if (history.current === c.value) return null;
    const flapped = history.earlier.includes(c.value);
    const path = [...history.earlier.slice(-4), history.current, c.value].join(' -> ');
    history.earlier.push(history.current);
    history.current = c.value;
    if (!flapped) return null;
    return violation(
      'session-flap',
      user,
      request,
      `${c.name} keeps ${history.earlier.at(-1) ?? ''} or moves to a new value`,
      `${c.name} set back to ${c.value} (${path})`,
    );
  };

  return {
    observe(index, user, request, cookies, now) {
      const found: Violation[] = [];
      for (const c of cookies) {
        if (ignored.has(c.name) || isDeletion(c, now) || !isIdentifierLike(c.value)) continue;
        const foreign = checkOwner(index, user, request, c);
        if (foreign) found.push(foreign);
        const flap = checkFlap(index, user, request, c);
        if (flap) found.push(flap);
      }
      return found;
    },
  };
}
