// Decides whether the probe may load a base URL: loopback hosts only, unless the user names the host.
import { err, ok, type Result } from '@touchline/core';

/** The URL the probe may load, or why it refuses to. */
export type TargetCheck = Result<URL>;

/** Hostname as the user would type it in --allow-host: IPv6 brackets removed, lower case. */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/** 127.0.0.0/8, ::1 and localhost. The URL parser already normalised forms like `127.1` or `0x7f.1`. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The probe sends thousands of requests as fast as it can; pointed at someone else's server that
 * is a load test nobody agreed to. So it only talks to this machine unless the host is named.
 */
export function checkTarget(baseUrl: string, allowHosts: readonly string[] = []): TargetCheck {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return err(`"${baseUrl}" is not an absolute URL (expected e.g. http://127.0.0.1:3000/)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return err(`"${baseUrl}" is not an http(s) URL`);
  }
  const host = bareHost(url);
  if (isLoopbackHost(host)) return ok(url);
  const allowed = allowHosts.map((h) => h.replace(/^\[(.*)\]$/, '$1').toLowerCase());
  if (allowed.includes(host)) return ok(url);
  return err(
    `refusing to probe ${host}: it is not a loopback address (127.0.0.0/8, ::1, localhost). ` +
      'The probe floods its target with concurrent requests, so it only runs against other hosts ' +
      `you name explicitly: pass --allow-host ${host} if this is your own test server.`,
  );
}
