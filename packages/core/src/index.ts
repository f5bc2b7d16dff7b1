// Public surface of @touchline/core: explicit exports only.
export { TouchlineError } from './errors/touchline-error.js';
export { SettingsError, type SettingsProblem } from './errors/settings-error.js';
export { zodProblems } from './errors/zod-problems.js';
export { ok, err, type Ok, type Err, type Result } from './result/result.js';
export { newId, isUuid, deriveSessionId } from './ids.js';
export { isoTimestamp } from './iso-timestamp.js';
export {
  parseSessionSettings,
  sessionSettingsSchema,
  MAX_COOKIE_AGE_SECONDS,
  type SessionSettings,
  type SessionSettingsInput,
} from './session/session-settings.js';
export { SESSION_CONVENTIONS, type SessionConvention } from './session/session-convention.js';
export { classifyRequest, type RequestKind, type HeaderGetter } from './session/request-kind.js';
export {
  extractCampaign,
  campaignOfContext,
  campaignFingerprint,
  UTM_KEYS,
  CLICK_ID_KEYS,
  type Campaign,
  type CampaignContext,
  type UtmKey,
  type ClickIdKey,
} from './session/campaign.js';
export { readIdentityJar, type IdentityJar } from './session/identity-cookies.js';
export { readPrefixedCookies } from './session/prefixed-cookies.js';
export { createBotCheck } from './session/bot-check.js';
export { cookielessIdentity, type CookielessInput } from './session/cookieless-identity.js';
export {
  resolveIdentity,
  endSessionCookies,
  LOGOUT_JUMP,
  type Identity,
  type IdentityInput,
  type StartReason,
  type LoggedOut,
  type GhostVisitor,
} from './session/resolve-identity.js';
export { WIRE_LIMITS } from './wire/limits.js';
export { COOKIELESS_ID } from './wire/cookieless.js';
export { parseItemFast } from './wire/parse-item-fast.js';
export {
  itemSchema,
  batchRequestSchema,
  batchResponseSchema,
  errorResponseSchema,
  requestContextSchema,
  propertiesSchema,
  pageviewItemSchema,
  eventItemSchema,
  conversionItemSchema,
  identifyItemSchema,
  sessionEndItemSchema,
  aliasItemSchema,
  itemErrorSchema,
  sdkHealthSchema,
  type Item,
  type PageviewItem,
  type EventItem,
  type ConversionItem,
  type IdentifyItem,
  type SessionEndItem,
  type AliasItem,
  type BatchRequest,
  type BatchResponse,
  type ErrorResponse,
  type ItemError,
  type RequestContext,
  type SdkHealth,
} from './wire/wire-schemas.js';
export { CHANNELS, type Channel, type ChannelResult } from './channels/channel.js';
export { classifyChannel, type ChannelInput } from './channels/classify-channel.js';
export { CLICK_PLATFORMS } from './channels/click-platforms.js';
