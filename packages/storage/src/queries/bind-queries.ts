// Binds every query to one connection, giving the dialect-independent part of a Storage.
import type { Connection } from '../dialects/dialects.js';
import type { Storage } from '../storage.js';
import { ensureAccount } from './accounts/ensure-account.js';
import { ensureTestAccount } from './accounts/ensure-test-account.js';
import { findAccount } from './accounts/find-account.js';
import { listAccounts } from './accounts/list-accounts.js';
import { adminSetting } from './admin/admin-setting.js';
import { setAdminSetting } from './admin/set-admin-setting.js';
import { attributionFacts } from './attribution/attribution-facts.js';
import { converterFacts } from './attribution/converter-facts.js';
import { findConversion } from './attribution/find-conversion.js';
import { markovFacts } from './attribution/markov-facts.js';
import { personSessions } from './attribution/person-sessions.js';
import { cookielessSecrets } from './cookieless/cookieless-secrets.js';
import { createDashboardSession } from './dashboard-sessions/create-dashboard-session.js';
import { liveCookielessSecrets } from './cookieless/live-cookieless-secrets.js';
import { acceptDashboardInvitation } from './dashboard-users/accept-dashboard-invitation.js';
import { createDashboardInvitation } from './dashboard-users/create-dashboard-invitation.js';
import { findDashboardInvitation } from './dashboard-users/find-dashboard-invitation.js';
import { findDashboardUser } from './dashboard-users/find-dashboard-user.js';
import { listDashboardUsers } from './dashboard-users/list-dashboard-users.js';
import { removeDashboardUser } from './dashboard-users/remove-dashboard-user.js';
import { revokeDashboardInvitation } from './dashboard-users/revoke-dashboard-invitation.js';
import { setDashboardUserPassword } from './dashboard-users/set-dashboard-user-password.js';
import { setDashboardUserRole } from './dashboard-users/set-dashboard-user-role.js';
import { deleteDashboardSessions } from './dashboard-sessions/delete-dashboard-sessions.js';
import { findDashboardSession } from './dashboard-sessions/find-dashboard-session.js';
import { listConversions } from './dashboard/list-conversions.js';
import { recentEvents } from './dashboard/recent-events.js';
import { timeSeries } from './dashboard/time-series.js';
import { topLandingPages } from './dashboard/top-landing-pages.js';
import { topReferrers } from './dashboard/top-referrers.js';
import { topUtmValues } from './dashboard/top-utm-values.js';
import { deleteFunnel } from './funnels/delete-funnel.js';
import { deleteGoal } from './funnels/delete-goal.js';
import { funnelItems } from './funnels/funnel-items.js';
import { listFunnels } from './funnels/list-funnels.js';
import { listGoals } from './funnels/list-goals.js';
import { saveFunnel } from './funnels/save-funnel.js';
import { saveGoal } from './funnels/save-goal.js';
import { probe } from './health/probe.js';
import { claimInbox } from './inbox/claim-inbox.js';
import { compactInbox } from './inbox/compact-inbox.js';
import { inboxHealth } from './inbox/inbox-health.js';
import { insertInbox, insertInboxGroups } from './inbox/insert-inbox.js';
import { pruneInbox } from './inbox/prune-inbox.js';
import { releaseInbox } from './inbox/release-inbox.js';
import { claimAlertTransitions } from './integrity/claim-alert-transitions.js';
import { integrityFacts } from './integrity/integrity-facts.js';
import { journeyFacts } from './journeys/journey-facts.js';
import { refreshJourneys } from './journeys/refresh-journeys.js';
import { insertKey } from './keys/insert-key.js';
import { listKeys } from './keys/list-keys.js';
import { loadActiveKeys } from './keys/load-active-keys.js';
import { revokeKey } from './keys/revoke-key.js';
import { maintain } from './maintenance/maintain.js';
import { cookielessInboxSeqs } from './privacy/cookieless-inbox-seqs.js';
import { erasePerson } from './privacy/erase-person.js';
import { exportPerson } from './privacy/export-person.js';
import { findTombstones } from './privacy/find-tombstones.js';
import { applyProcessed } from './processed/apply-processed.js';
import { beginSessionRepair } from './repair/begin-session-repair.js';
import { finishSessionRepair } from './repair/finish-session-repair.js';
import { readProcessedInbox } from './repair/read-processed-inbox.js';
import { stageSessionRepair } from './repair/stage-session-repair.js';
import { countSessionsByChannel } from './reports/count-sessions-by-channel.js';
import { stats } from './reports/stats.js';
import { recordSdkHealth } from './sdk-health/record-sdk-health.js';
import { sdkHealth } from './sdk-health/sdk-health.js';
import { spendTotals } from './spend/spend-totals.js';
import { upsertSpend } from './spend/upsert-spend.js';
import { claimUploads } from './uploads/claim-uploads.js';
import { deleteUploadDestination } from './uploads/delete-upload-destination.js';
import { enqueueUploads } from './uploads/enqueue-uploads.js';
import { listUploadDestinations } from './uploads/list-upload-destinations.js';
import { recordUploadAttempts } from './uploads/record-upload-attempts.js';
import { saveUploadDestination } from './uploads/save-upload-destination.js';
import { uploadConversions } from './uploads/upload-conversions.js';
import { uploadDeliveries } from './uploads/upload-deliveries.js';
import { uploadDeliveryCounts } from './uploads/upload-delivery-counts.js';
import { uploadJourney } from './uploads/upload-journey.js';
import { sessionsOfVisitor } from './visitors/sessions-of-visitor.js';
import { visitor } from './visitors/visitor.js';

/** What a dialect adds itself: how it opens, migrates and closes, and what it knows of its disk. */
export type StorageQueries = Omit<Storage, 'dialect' | 'migrate' | 'close' | 'diskUsage'>;

/**
 * Every Storage method, one line each, named as its query function and file
 * (`storage.attributionFacts` is attributionFacts in queries/attribution/attribution-facts.ts).
 */
export function bindQueries(conn: Connection): StorageQueries {
  // A query with the connection bound: `query(conn, ...args)` becomes `(...args)`.
  const bind =
    <A extends unknown[], R>(query: (conn: Connection, ...args: A) => R) =>
    (...args: A): R =>
      query(conn, ...args);
  return {
    ensureAccount: bind(ensureAccount),
    ensureTestAccount: bind(ensureTestAccount),
    findAccount: bind(findAccount),
    listAccounts: bind(listAccounts),
    insertKey: bind(insertKey),
    listKeys: bind(listKeys),
    revokeKey: bind(revokeKey),
    loadActiveKeys: bind(loadActiveKeys),
    insertInbox: bind(insertInbox),
    insertInboxGroups: bind(insertInboxGroups),
    claimInbox: bind(claimInbox),
    releaseInbox: bind(releaseInbox),
    applyProcessed: bind(applyProcessed),
    erasePerson: bind(erasePerson),
    cookielessInboxSeqs: bind(cookielessInboxSeqs),
    exportPerson: bind(exportPerson),
    findTombstones: bind(findTombstones),
    cookielessSecrets: bind(cookielessSecrets),
    liveCookielessSecrets: bind(liveCookielessSecrets),
    personSessions: bind(personSessions),
    upsertSpend: bind(upsertSpend),
    spendTotals: bind(spendTotals),
    saveGoal: bind(saveGoal),
    listGoals: bind(listGoals),
    deleteGoal: bind(deleteGoal),
    saveFunnel: bind(saveFunnel),
    listFunnels: bind(listFunnels),
    deleteFunnel: bind(deleteFunnel),
    funnelItems: bind(funnelItems),
    saveUploadDestination: bind(saveUploadDestination),
    listUploadDestinations: bind(listUploadDestinations),
    deleteUploadDestination: bind(deleteUploadDestination),
    uploadConversions: bind(uploadConversions),
    uploadJourney: bind(uploadJourney),
    enqueueUploads: bind(enqueueUploads),
    claimUploads: bind(claimUploads),
    recordUploadAttempts: bind(recordUploadAttempts),
    uploadDeliveries: bind(uploadDeliveries),
    uploadDeliveryCounts: bind(uploadDeliveryCounts),
    inboxHealth: bind(inboxHealth),
    probe: bind(probe),
    beginSessionRepair: bind(beginSessionRepair),
    readProcessedInbox: bind(readProcessedInbox),
    stageSessionRepair: bind(stageSessionRepair),
    finishSessionRepair: bind(finishSessionRepair),
    maintain: bind(maintain),
    pruneInbox: bind(pruneInbox),
    compactInbox: bind(compactInbox),
    stats: bind(stats),
    countSessionsByChannel: bind(countSessionsByChannel),
    sessionsOfVisitor: bind(sessionsOfVisitor),
    visitor: bind(visitor),
    attributionFacts: bind(attributionFacts),
    converterFacts: bind(converterFacts),
    journeyFacts: bind(journeyFacts),
    refreshJourneys: bind(refreshJourneys),
    markovFacts: bind(markovFacts),
    findConversion: bind(findConversion),
    integrityFacts: bind(integrityFacts),
    recordSdkHealth: bind(recordSdkHealth),
    sdkHealth: bind(sdkHealth),
    adminSetting: bind(adminSetting),
    setAdminSetting: bind(setAdminSetting),
    createDashboardSession: bind(createDashboardSession),
    findDashboardSession: bind(findDashboardSession),
    deleteDashboardSessions: bind(deleteDashboardSessions),
    createDashboardInvitation: bind(createDashboardInvitation),
    findDashboardInvitation: bind(findDashboardInvitation),
    acceptDashboardInvitation: bind(acceptDashboardInvitation),
    listDashboardUsers: bind(listDashboardUsers),
    findDashboardUser: bind(findDashboardUser),
    removeDashboardUser: bind(removeDashboardUser),
    revokeDashboardInvitation: bind(revokeDashboardInvitation),
    setDashboardUserRole: bind(setDashboardUserRole),
    setDashboardUserPassword: bind(setDashboardUserPassword),
    claimAlertTransitions: bind(claimAlertTransitions),
    timeSeries: bind(timeSeries),
    topLandingPages: bind(topLandingPages),
    topReferrers: bind(topReferrers),
    topUtmValues: bind(topUtmValues),
    recentEvents: bind(recentEvents),
    listConversions: bind(listConversions),
  };
}
