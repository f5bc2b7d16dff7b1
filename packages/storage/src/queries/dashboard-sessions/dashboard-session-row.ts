// The stored shape of one dashboard sign-in session (the cookie's token is stored only as its SHA-256).
export interface DashboardSessionRow {
  /** base64url SHA-256 of the session cookie's token. */
  tokenHash: string;
  /** Sent to the signed-in page and required on every state-changing request. */
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}
