// Public surface of @touchline/server.
export { createCollector, type Collector } from './create-collector.js';
export { parseServerSettings, serverSettingsSchema, type ServerSettings, type ServerSettingsInput } from './server-settings.js';
export { generateKey, hashKey, looksLikeKey } from './http/auth/api-keys.js';
export { anonymizeIp } from './ingest/anonymize-ip.js';
export { processInboxRows } from './pipeline/process-inbox-rows.js';
export { openApiDocument } from './http/routes/openapi-route.js';
