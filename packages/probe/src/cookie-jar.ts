// One virtual browser's cookies: last Set-Cookie wins per name, Max-Age and Expires honoured.

/** A parsed Set-Cookie header. `expiresAt` is epoch ms, or null for a session cookie. */
export interface SetCookie {
  name: string;
  value: string;
  expiresAt: number | null;
}

/**
 * Parses one Set-Cookie header value; null when it has no `name=`. Max-Age wins over Expires
 * (RFC 6265 5.3). Path and Domain are ignored: a probe browser talks to one site and sends every
 * cookie on every request, which can only make leaks more visible.
 */
export function parseSetCookie(header: string, now: number): SetCookie | null {
  const [pair = '', ...attributes] = header.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return null;
  const name = pair.slice(0, eq).trim();
  const value = pair
    .slice(eq + 1)
    .trim()
    .replace(/^"(.*)"$/, '$1');
  if (name === '') return null;
  let maxAge: number | null = null;
  let expires: number | null = null;
  for (const attribute of attributes) {
    const [key = '', ...rest] = attribute.split('=');
    const raw = rest.join('=').trim();
    const lower = key.trim().toLowerCase();
    if (lower === 'max-age' && /^-?\d+$/.test(raw)) maxAge = Number(raw);
    if (lower === 'expires') {
      const at = Date.parse(raw);
      if (!Number.isNaN(at)) expires = at;
    }
  }
  const expiresAt = maxAge !== null ? now + maxAge * 1000 : expires;
  return { name, value, expiresAt };
}

/** True when applying this cookie removes it (Max-Age <= 0 or an Expires in the past). */
export function isDeletion(cookie: SetCookie, now: number): boolean {
  return cookie.expiresAt !== null && cookie.expiresAt <= now;
}

export interface CookieJar {
  /** Applies a response's cookies in order; later ones win. */
  apply(cookies: readonly SetCookie[], now: number): void;
  /** The Cookie request header, or undefined when the jar is empty. */
  header(now: number): string | undefined;
  /** The live value of one cookie. */
  get(name: string, now: number): string | undefined;
}

export function createCookieJar(): CookieJar {
  const cookies = new Map<string, { value: string; expiresAt: number | null }>();
  const live = (now: number): Array<[string, string]> => {
    const out: Array<[string, string]> = [];
    for (const [name, c] of cookies) {
      if (c.expiresAt !== null && c.expiresAt <= now) cookies.delete(name);
      else out.push([name, c.value]);
    }
    return out;
  };
  return {
    apply(list, now) {
      for (const c of list) {
        if (isDeletion(c, now)) cookies.delete(c.name);
        else cookies.set(c.name, { value: c.value, expiresAt: c.expiresAt });
      }
    },
    header(now) {
      const pairs = live(now);
      return pairs.length === 0 ? undefined : pairs.map(([n, v]) => `${n}=${v}`).join('; ');
    },
    get(name, now) {
      return live(now).find(([n]) => n === name)?.[1];
    },
  };
}
