// Base error for broken contracts and infrastructure failures; expected outcomes are values, not throws.

/** Every Touchline exception carries a stable string `code` callers can branch on. */
export class TouchlineError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TouchlineError';
    this.code = code;
  }
}
