// Truncates IP addresses before storage: IPv4 to /24, IPv6 to /48 (the common GDPR-minded practice).
import { isIPv4, isIPv6 } from 'node:net';

/** `a.b.c.d` with four decimal parts of 1-3 digits, each <= 255: the common case, without isIPv4's regex. */
function plainIpv4(ip: string): boolean {
  let parts = 0;
  let digits = 0;
  let value = 0;
  for (let i = 0; i <= ip.length; i++) {
    const c = i === ip.length ? 46 : ip.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || value > 255 || (digits > 1 && ip.charCodeAt(i - digits) === 48)) return false;
      parts += 1;
      digits = 0;
      value = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      digits += 1;
      value = value * 10 + (c - 48);
    } else {
      return false;
    }
  }
  return parts === 4;
}

export function anonymizeIp(ip: string | null): string | null {
  if (ip === null) return null;
  if (plainIpv4(ip)) return `${ip.slice(0, ip.lastIndexOf('.'))}.0`;
  const mapped = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (isIPv4(mapped)) return `${mapped.split('.').slice(0, 3).join('.')}.0`;
  if (isIPv6(mapped)) {
    const [head = '', tail = ''] = mapped.split('::');
    const left = head === '' ? [] : head.split(':');
    const right = tail === '' ? [] : tail.split(':');
    const groups = mapped.includes('::')
      ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
      : left;
    return `${groups
      .slice(0, 3)
      .map((g) => g || '0')
      .join(':')}::`;
  }
  return null;
}
