// Test-only simulated browser: its own cookie jar (last Set-Cookie wins per name) and raw HTTP requests.
import { request, type Agent } from 'node:http';

export interface BrowserResponse {
  status: number;
  /** Every Set-Cookie line of the response, in order. */
  setCookies: string[];
  body: string;
}

export interface SendOptions {
  method?: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Send the jar's cookies (and store the response's). @default true */
  withCookies?: boolean;
}

/** Headers of a top-level document load, which is what mints identity (DESIGN protocol property 5). */
export const NAVIGATION_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  accept: 'text/html,application/xhtml+xml',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
});

export const ASSET_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...NAVIGATION_HEADERS,
  accept: 'image/avif,image/webp,*/*',
  'sec-fetch-mode': 'no-cors',
  'sec-fetch-dest': 'image',
});

/** Name and value of one Set-Cookie line, and whether it deletes the cookie (Max-Age <= 0). */
export function parseSetCookie(line: string): { name: string; value: string; deletes: boolean } {
  const [pair = '', ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  const maxAge = attributes.map((a) => a.trim().toLowerCase()).find((a) => a.startsWith('max-age='));
  return {
    name: pair.slice(0, eq).trim(),
    value: decodeURIComponent(pair.slice(eq + 1).trim()),
    deletes: maxAge !== undefined && Number(maxAge.slice('max-age='.length)) <= 0,
  };
}

export class SimulatedBrowser {
  readonly jar = new Map<string, string>();

  constructor(
    readonly id: string,
    private readonly origin: string,
    private readonly agent?: Agent,
    private readonly timeoutMs = 10_000,
  ) {}

  cookieHeader(): string {
    return [...this.jar].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
  }

  /** Applies Set-Cookie lines in order, as a browser does when a response arrives. */
  store(setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const { name, value, deletes } = parseSetCookie(line);
      if (deletes) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  send(options: SendOptions): Promise<BrowserResponse> {
    const withCookies = options.withCookies ?? true;
    const headers = {
      ...options.headers,
      ...(withCookies && this.jar.size > 0 ? { cookie: this.cookieHeader() } : {}),
    };
    const url = new URL(options.path, this.origin);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: options.method ?? 'GET',
          headers,
          timeout: this.timeoutMs,
          ...(this.agent ? { agent: this.agent } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const setCookies = res.headers['set-cookie'] ?? [];
            if (withCookies) this.store(setCookies);
            resolve({ status: res.statusCode ?? 0, setCookies, body: Buffer.concat(chunks).toString('utf8') });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${this.id}: no response within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(options.body);
    });
  }
}
