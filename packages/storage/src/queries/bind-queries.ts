// Binds every query to one connection, giving the dialect-independent part of a Storage.
import type { Connection } from '../dialects/dialects.js';
import type { Storage } from '../storage.js';
import { ensureAccount } from './accounts/ensure-account.js';
import { ensureTestAccount } from './accounts/ensure-test-account.js';
import { findConversion } from './attribution/find-conversion.js';
import { readAttributionFacts } from './attribution/read-attribution-facts.js';
import { readMarkovFacts } from './attribution/read-markov-facts.js';
import { readConverterFacts } from './attribution/read-converter-facts.js';
import { erasePerson } from './privacy/erase-person.js';
import { exportPerson } from './privacy/export-person.js';
import { findTombstones } from './privacy/find-tombstones.js';
import { cookielessSecrets } from './cookieless/cookieless-secrets.js';
import { liveCookielessSecrets } from './cookieless/live-cookieless-secrets.js';
import { readPersonSessions } from './attribution/read-person-sessions.js';
import { readJourneyFacts } from './journeys/read-journey-facts.js';
import { refreshJourneys } from './journeys/refresh-journeys.js';
import { findAccount } from './accounts/find-account.js';
import { listAccounts } from './accounts/list-accounts.js';
import { claimInbox } from './inbox/claim-inbox.js';
import { insertInbox, insertInboxGroups } from './inbox/insert-inbox.js';
import { compactInbox } from './inbox/compact-inbox.js';
import { pruneInbox } from './inbox/prune-inbox.js';
import { readInboxHealth } from './inbox/read-inbox-health.js';
import { releaseInbox } from './inbox/release-inbox.js';
import { probeStorage } from './health/probe-storage.js';
import { claimAlertTransitions } from './integrity/claim-alert-transitions.js';
import { readIntegrityFacts } from './integrity/read-integrity-facts.js';
import { maintainStorage } from './maintenance/maintain-storage.js';
import { insertKey } from './keys/insert-key.js';
import { listKeys } from './keys/list-keys.js';
import { loadActiveKeys } from './keys/load-active-keys.js';
import { revokeKey } from './keys/revoke-key.js';
import { applyProcessed } from './processed/apply-processed.js';
import { countSessionsByChannel } from './reports/count-sessions-by-channel.js';
import { readStats } from './reports/read-stats.js';
import { beginSessionRepair } from './repair/begin-session-repair.js';
import { finishSessionRepair } from './repair/finish-session-repair.js';
import { readProcessedInbox } from './repair/read-processed-inbox.js';
import { stageSessionRepair } from './repair/stage-session-repair.js';
import { readSdkHealth } from './sdk-health/read-sdk-health.js';
import { recordSdkHealth } from './sdk-health/record-sdk-health.js';
import { getVisitor } from './visitors/get-visitor.js';
import { listVisitorSessions } from './visitors/list-visitor-sessions.js';
import { readAdminSetting } from './admin/read-admin-setting.js';
import { writeAdminSetting } from './admin/write-admin-setting.js';
import { createDashboardSession } from './dashboard-sessions/create-dashboard-session.js';
import { deleteDashboardSessions } from './dashboard-sessions/delete-dashboard-sessions.js';
import { findDashboardSession } from './dashboard-sessions/find-dashboard-session.js';
import { acceptDashboardInvitation } from './dashboard-users/accept-dashboard-invitation.js';
import { createDashboardInvitation } from './dashboard-users/create-dashboard-invitation.js';
import { findDashboardInvitation } from './dashboard-users/find-dashboard-invitation.js';
import { findDashboardUser } from './dashboard-users/find-dashboard-user.js';
import { listDashboardUsers } from './dashboard-users/list-dashboard-users.js';
import { removeDashboardUser } from './dashboard-users/remove-dashboard-user.js';
import { revokeDashboardInvitation } from './dashboard-users/revoke-dashboard-invitation.js';
import { setDashboardUserPassword } from './dashboard-users/set-dashboard-user-password.js';
import { setDashboardUserRole } from './dashboard-users/set-dashboard-user-role.js';
import { listConversions } from './dashboard/list-conversions.js';
import { listRecentEvents } from './dashboard/list-recent-events.js';
import { listTopLandingPages } from './dashboard/list-top-landing-pages.js';
import { listTopReferrers } from './dashboard/list-top-referrers.js';
import { listTopUtmValues } from './dashboard/list-top-utm-values.js';
import { readTimeSeries } from './dashboard/read-time-series.js';
import { readSpendTotals } from './spend/read-spend-totals.js';
import { upsertSpend } from './spend/upsert-spend.js';
import { deleteFunnel } from './funnels/delete-funnel.js';
import { deleteGoal } from './funnels/delete-goal.js';
import { listFunnels } from './funnels/list-funnels.js';
import { listGoals } from './funnels/list-goals.js';
import { readFunnelItems } from './funnels/read-funnel-items.js';
import { saveFunnel } from './funnels/save-funnel.js';
import { saveGoal } from './funnels/save-goal.js';
import { claimUploads } from './uploads/claim-uploads.js';
import { deleteUploadDestination } from './uploads/delete-upload-destination.js';
import { enqueueUploads } from './uploads/enqueue-uploads.js';
import { listUploadDestinations } from './uploads/list-upload-destinations.js';
import { countUploadDeliveries, listUploadDeliveries } from './uploads/list-upload-deliveries.js';
import { readUploadConversions } from './uploads/read-upload-conversions.js';
import { readUploadJourney } from './uploads/read-upload-journey.js';
import { recordUploadAttempts } from './uploads/record-upload-attempts.js';
import { saveUploadDestination } from './uploads/save-upload-destination.js';

/** What a dialect adds itself: how it opens, migrates and closes, and what it knows of its disk. */
export type StorageQueries = Omit<Storage, 'dialect' | 'migrate' | 'close' | 'diskUsage'>;

export function bindQueries(conn: Connection): StorageQueries {
  return {
    ensureAccount: (name, now) => ensureAccount(conn, name, now),
    ensureTestAccount: (liveAccountId, now) => ensureTestAccount(conn, liveAccountId, now),
    findAccount: (name) => findAccount(conn, name),
    listAccounts: () => listAccounts(conn),
    insertKey: (key) => insertKey(conn, key),
    listKeys: (accountId) => listKeys(conn, accountId),
    revokeKey: (keyId, now) => revokeKey(conn, keyId, now),
    loadActiveKeys: () => loadActiveKeys(conn),
    insertInbox: (accountId, items, receivedAt) => insertInbox(conn, accountId, items, receivedAt),
    insertInboxGroups: (groups, receivedAt) => insertInboxGroups(conn, groups, receivedAt),
    claimInbox: (options) => claimInbox(conn, options),
    releaseInbox: (options) => releaseInbox(conn, options),
    applyProcessed: (batch) => applyProcessed(conn, batch),
    erasePerson: (request) => erasePerson(conn, request),
    exportPerson: (accountId, subject, cookieless) => exportPerson(conn, accountId, subject, cookieless),
    findTombstones: (byAccount, now) => findTombstones(conn, byAccount, now),
    cookielessSecrets: (requests, now, marginMs) => cookielessSecrets(conn, requests, now, marginMs),
    liveCookielessSecrets: (accountId, now) => liveCookielessSecrets(conn, accountId, now),
    personSessions: (accountId, visitorId, window) => readPersonSessions(conn, accountId, visitorId, window),
    upsertSpend: (accountId, rows, now) => upsertSpend(conn, accountId, rows, now),
    spendTotals: (accountId, window) => readSpendTotals(conn, accountId, window),
    saveGoal: (accountId, goal) => saveGoal(conn, accountId, goal),
    listGoals: (accountId) => listGoals(conn, accountId),
    deleteGoal: (accountId, goalId) => deleteGoal(conn, accountId, goalId),
    saveFunnel: (accountId, funnel) => saveFunnel(conn, accountId, funnel),
    listFunnels: (accountId) => listFunnels(conn, accountId),
    deleteFunnel: (accountId, funnelId) => deleteFunnel(conn, accountId, funnelId),
    funnelItems: (accountId, window) => readFunnelItems(conn, accountId, window),
    saveUploadDestination: (accountId, destination) => saveUploadDestination(conn, accountId, destination),
    listUploadDestinations: (accountId) => listUploadDestinations(conn, accountId),
    deleteUploadDestination: (accountId, id) => deleteUploadDestination(conn, accountId, id),
    uploadConversions: (accountId, window) => readUploadConversions(conn, accountId, window),
    uploadJourney: (accountId, visitorId, window) => readUploadJourney(conn, accountId, visitorId, window),
    enqueueUploads: (accountId, rows, now) => enqueueUploads(conn, accountId, rows, now),
    claimUploads: (options) => claimUploads(conn, options),
    recordUploadAttempts: (attempts, now) => recordUploadAttempts(conn, attempts, now),
    uploadDeliveries: (accountId, query) => listUploadDeliveries(conn, accountId, query),
    uploadDeliveryCounts: (accountId) => countUploadDeliveries(conn, accountId),
    inboxHealth: () => readInboxHealth(conn),
    probe: () => probeStorage(conn),
    beginSessionRepair: (accountId) => beginSessionRepair(conn, accountId),
    readProcessedInbox: (options) => readProcessedInbox(conn, options),
    stageSessionRepair: (sessions) => stageSessionRepair(conn, sessions),
    finishSessionRepair: (options) => finishSessionRepair(conn, options),
    maintain: (options) => maintainStorage(conn, options),
    pruneInbox: (options) => pruneInbox(conn, options),
    compactInbox: (options) => compactInbox(conn, options),
    stats: (accountId, from, to) => readStats(conn, accountId, from, to),
    countSessionsByChannel: (accountId, from, to) => countSessionsByChannel(conn, accountId, from, to),
    sessionsOfVisitor: (accountId, visitorId) => listVisitorSessions(conn, accountId, visitorId),
    visitor: (accountId, visitorId) => getVisitor(conn, accountId, visitorId),
    attributionFacts: (accountId, window) => readAttributionFacts(conn, accountId, window),
    converterFacts: (accountId, window) => readConverterFacts(conn, accountId, window),
    journeyFacts: (accountId, window) => readJourneyFacts(conn, accountId, window),
    refreshJourneys: (options) => refreshJourneys(conn, options),
    markovFacts: (accountId, window) => readMarkovFacts(conn, accountId, window),
    findConversion: (accountId, id) => findConversion(conn, accountId, id),
    integrityFacts: (accountId, now) => readIntegrityFacts(conn, accountId, now),
    recordSdkHealth: (reports) => recordSdkHealth(conn, reports),
    sdkHealth: (accountId, window) => readSdkHealth(conn, accountId, window),
    adminSetting: (name) => readAdminSetting(conn, name),
    setAdminSetting: (name, value, now) => writeAdminSetting(conn, name, value, now),
    createDashboardSession: (session, maxSessions) => createDashboardSession(conn, session, maxSessions),
    findDashboardSession: (tokenHash, now) => findDashboardSession(conn, tokenHash, now),
    deleteDashboardSessions: (which) => deleteDashboardSessions(conn, which),
    createDashboardInvitation: (invitation) => createDashboardInvitation(conn, invitation),
    findDashboardInvitation: (tokenHash) => findDashboardInvitation(conn, tokenHash),
    acceptDashboardInvitation: (answer) => acceptDashboardInvitation(conn, answer),
    listDashboardUsers: () => listDashboardUsers(conn),
    findDashboardUser: (key) => findDashboardUser(conn, key),
    removeDashboardUser: (userId) => removeDashboardUser(conn, userId),
    revokeDashboardInvitation: (invitationId) => revokeDashboardInvitation(conn, invitationId),
    setDashboardUserRole: (change) => setDashboardUserRole(conn, change),
    setDashboardUserPassword: (change) => setDashboardUserPassword(conn, change),
    claimAlertTransitions: (accountId, states) => claimAlertTransitions(conn, accountId, states),
    timeSeries: (accountId, window) => readTimeSeries(conn, accountId, window),
    topLandingPages: (accountId, window) => listTopLandingPages(conn, accountId, window),
    topReferrers: (accountId, window) => listTopReferrers(conn, accountId, window),
    topUtmValues: (accountId, window) => listTopUtmValues(conn, accountId, window),
    recentEvents: (accountId, options) => listRecentEvents(conn, accountId, options),
    listConversions: (accountId, window) => listConversions(conn, accountId, window),
  };
}
