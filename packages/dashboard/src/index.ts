// Public surface of @touchline/dashboard: the Fastify registration, its settings and the admin password helpers.
export { registerDashboard, type DashboardOptions } from './register-dashboard.js';
export { parseDashboardSettings, dashboardSettingsSchema, type DashboardSettings, type DashboardSettingsInput } from './dashboard-settings.js';
export { hashPassword, verifyPassword, passwordProblem, MIN_PASSWORD_LENGTH } from './auth/password-hash.js';
