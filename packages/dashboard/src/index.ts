// Public surface of @touchline/dashboard: the Fastify registration, its settings, the admin password helpers and invitations (for the CLI).
export { registerDashboard, type DashboardOptions } from './register-dashboard.js';
export {
  parseDashboardSettings,
  dashboardSettingsSchema,
  type DashboardSettings,
  type DashboardSettingsInput,
} from './dashboard-settings.js';
export { hashPassword, verifyPassword, passwordProblem, MIN_PASSWORD_LENGTH } from './auth/password-hash.js';
export {
  createInvitation,
  invitationLink,
  normalizeLogin,
  roleProblem,
  expiresHoursProblem,
  DEFAULT_INVITATION_HOURS,
  MAX_INVITATION_HOURS,
  type InvitationRequest,
} from './auth/invitations.js';
