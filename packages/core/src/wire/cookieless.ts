// The wire's cookieless marker: items whose visitor the collector identifies (issue 20 item 4, docs/privacy.md).
//
// A cookieless request has no cookie to carry a visitor id, and the SDK cannot compute one either:
// the daily secret lives in the collector's storage, so that no app server ever holds it. The SDK
// sends the nil UUID as `visitor_id` and `session_id`; the collector's worker replaces them with the
// keyed daily hash of (truncated IP, user agent, site) and a session by inactivity over it.

/** The nil UUID (RFC 9562): "the collector identifies this item's visitor and session". */
export const COOKIELESS_ID = '00000000-0000-0000-0000-000000000000';
