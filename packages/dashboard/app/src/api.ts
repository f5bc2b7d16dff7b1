// The dashboard's calls to its server: same-origin fetches with the session cookie and, on changes, the CSRF token.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Params = Record<string, string | number | undefined>;

export function apiUrl(path: string, params: Params = {}): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) query.set(k, String(v));
  const text = query.toString();
  return `/dashboard/api/${path}${text ? `?${text}` : ''}`;
}

async function parse<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!res.ok)
    throw new ApiError(
      res.status,
      body?.error?.code ?? 'http_error',
      body?.error?.message ?? `request failed with HTTP ${res.status}`,
    );
  return body as T;
}

export async function getJson<T>(path: string, params: Params = {}): Promise<T> {
  return parse<T>(
    await fetch(apiUrl(path, params), { credentials: 'same-origin', headers: { accept: 'application/json' } }),
  );
}

export async function postJson<T>(path: string, body: unknown, csrfToken: string | null): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  return parse<T>(
    await fetch(apiUrl(path), { method: 'POST', credentials: 'same-origin', headers, body: JSON.stringify(body) }),
  );
}
