// Reads the cookies whose names start with a prefix out of a Cookie header, and no others.

const isBlank = (code: number): boolean => code === 0x20 || code === 0x09;

/** `header.slice(start, end)` without leading and trailing spaces and tabs. */
function trimmedSlice(header: string, start: number, end: number): string {
  while (start < end && isBlank(header.charCodeAt(start))) start += 1;
  while (end > start && isBlank(header.charCodeAt(end - 1))) end -= 1;
  return header.slice(start, end);
}

function decode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The cookies of `header` whose names start with `prefix` (which holds no blank, `=` or `;`),
 * in header order, read as the `cookie` package's `parse` (v1) reads every cookie: pairs split
 * at `;`, a pair without `=` skipped, names and values trimmed of spaces and tabs, the first
 * occurrence of a name wins, `%`-escapes decoded (a malformed one leaves the value as it is).
 * Apps send many cookies and the SDK reads three, so only matching pairs are sliced and decoded.
 */
export function readPrefixedCookies(header: string, prefix: string): Map<string, string> {
  const found = new Map<string, string>();
  const len = header.length;
  let index = 0;
  while (index < len) {
    const eq = header.indexOf('=', index);
    if (eq === -1) break;
    let end = header.indexOf(';', index);
    if (end === -1) end = len;
    if (eq > end) {
      // This pair has no '='; the next one starts after the last ';' before that '='.
      index = header.lastIndexOf(';', eq - 1) + 1;
      continue;
    }
    let start = index;
    while (start < eq && isBlank(header.charCodeAt(start))) start += 1;
    if (header.startsWith(prefix, start) && start + prefix.length <= eq) {
      const name = trimmedSlice(header, start, eq);
      if (!found.has(name)) found.set(name, decode(trimmedSlice(header, eq + 1, end)));
    }
    index = end + 1;
  }
  return found;
}
