// Truncates IP addresses before storage: IPv4 to /24, IPv6 to /48 (the common GDPR-minded practice).
import { isIPv4, isIPv6 } from 'node:net';

export function anonymizeIp(ip: string | null): string | null {
  if (ip === null) return null;
  const mapped = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (isIPv4(mapped)) return `${mapped.split('.').slice(0, 3).join('.')}.0`;
  if (isIPv6(mapped)) {
    const [head = '', tail = ''] = mapped.split('::');
    const left = head === '' ? [] : head.split(':');
    const right = tail === '' ? [] : tail.split(':');
    const groups = mapped.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
    return `${groups.slice(0, 3).map((g) => g || '0').join(':')}::`;
  }
  return null;
}
