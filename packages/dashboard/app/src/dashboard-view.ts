// The signed-in dashboard: header controls (account, range, who is signed in, sign out) and every panel the signed-in role may use, reloaded when a control changes.
import { ApiError, apiUrl, getJson, postJson, type Params } from './api.js';
import {
  GROUPINGS,
  MODELS,
  type AccountList,
  type Invited,
  type SignedInUser,
  type UserList,
  type Channels,
  type Comparison,
  type ConversionUploads,
  type FunnelList,
  type FunnelReport,
  type SpendImport,
  type ConversionRow,
  type Integrity,
  type Overview,
  type Rows,
  type TopRow,
} from './api-types.js';
import { comparePanel } from './compare-panel.js';
import { presetRange, type DateRange } from './date-range.js';
import { h, replaceChildren } from './dom.js';
import { funnelPanel, type NewFunnel } from './funnel-panel.js';
import { integrityPanel } from './integrity-panel.js';
import { openJourney } from './journey-dialog.js';
import { liveFeed, type LiveFeed } from './live-feed.js';
import { overviewPanel, type Metric, type OverviewPanel } from './overview-panel.js';
import { rangeControls } from './range-controls.js';
import { channelsTable, conversionsTable, topTable } from './report-tables.js';
import { passwordPanel } from './password-panel.js';
import { uploadsPanel } from './uploads-panel.js';
import { usersPanel } from './users-panel.js';

interface State {
  accountId: string;
  range: DateRange;
  model: string;
  groupBy: string;
  metric: Metric;
  funnelId: string;
  unit: string;
}

function select(
  id: string,
  label: string,
  options: ReadonlyArray<{ value: string; label: string }>,
  value: string,
  onChange: (v: string) => void,
): HTMLElement {
  const el = h(
    'select',
    { id, 'aria-label': label },
    ...options.map((o) => h('option', { value: o.value, selected: o.value === value }, o.label)),
  );
  el.addEventListener('change', () => onChange(el.value));
  return el;
}

/** "Import spend": a CSV file (date, channel, campaign, amount, currency) posted for the account; the panels reload with cost and ROAS. */
function spendUpload(accountId: string, csrfToken: string, reload: () => void): HTMLElement {
  const input = h('input', {
    type: 'file',
    id: 'spend-file',
    accept: '.csv,text/csv',
    class: 'visually-hidden',
  }) as HTMLInputElement;
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file === undefined) return;
    file
      .text()
      .then((csv) => postJson<SpendImport>('spend', { account: accountId, csv }, csrfToken))
      .then(() => reload())
      .catch((e: unknown) => {
        window.alert(e instanceof Error ? e.message : String(e));
      })
      .finally(() => {
        input.value = '';
      });
  });
  return h(
    'label',
    { class: 'csv', for: 'spend-file', title: 'CSV: date,channel,campaign,amount,currency' },
    'Import spend',
    input,
  );
}

interface Panels {
  overview: OverviewPanel;
  feed: LiveFeed;
  element: DocumentFragment;
}

interface Viewer {
  user: SignedInUser;
  accounts: AccountList['accounts'];
  csrfToken: string;
}

/** The admin-only panels' data: conversion uploads and users (a viewer's session would be refused both). */
async function adminData(state: State, who: Viewer): Promise<{ uploads: ConversionUploads; users: UserList } | null> {
  if (who.user.role !== 'admin') return null;
  const [uploads, users] = await Promise.all([
    getJson<ConversionUploads>('conversion-uploads', { account: state.accountId }),
    getJson<UserList>('users'),
  ]);
  return { uploads, users };
}

/** Fetches every panel's data for the state, then builds the panels (admin controls only for admins). */
async function buildPanels(state: State, who: Viewer, reload: () => void): Promise<Panels> {
  const { csrfToken } = who;
  const admin = who.user.role === 'admin';
  const p: Params = { account: state.accountId, from: state.range.from, to: state.range.to };
  const csv = (path: string, extra: Params = {}): string => apiUrl(path, { ...p, ...extra, format: 'csv' });
  const [ov, channels, pages, referrers, campaigns, sources, conversions, integrity, funnels, comparison, adminOnly] =
    await Promise.all([
      getJson<Overview>('overview', p),
      getJson<Channels>('channels', { ...p, model: state.model, group_by: state.groupBy }),
      getJson<Rows<TopRow>>('landing-pages', p),
      getJson<Rows<TopRow>>('referrers', p),
      getJson<Rows<TopRow>>('campaigns', p),
      getJson<Rows<TopRow>>('sources', p),
      getJson<Rows<ConversionRow>>('conversions', p),
      getJson<Integrity>('integrity', p),
      getJson<FunnelList>('funnels', p),
      getJson<Comparison>('compare', { ...p, group_by: state.groupBy }),
      adminData(state, who),
    ]);
  // The chosen funnel, or the first one when it was deleted or none was chosen yet.
  const funnelId = funnels.funnels.find((f) => f.id === state.funnelId)?.id ?? funnels.funnels[0]?.id;
  const funnelPath = funnelId === undefined ? null : `funnels/${encodeURIComponent(funnelId)}/report`;
  const report = funnelPath === null ? null : await getJson<FunnelReport>(funnelPath, { ...p, unit: state.unit });
  const overview = overviewPanel(ov, state.metric, csv('overview'), (m) => {
    state.metric = m;
    reload();
  });
  const modelSelect = select('model', 'Attribution model', MODELS, state.model, (v) => {
    state.model = v;
    reload();
  });
  const groupSelect = select('group-by', 'Break down by', GROUPINGS, state.groupBy, (v) => {
    state.groupBy = v;
    reload();
  });
  const grouping = GROUPINGS.find((g) => g.value === state.groupBy) ?? { value: 'channel', label: 'Channel' };
  const spendInput = admin ? spendUpload(state.accountId, csrfToken, reload) : null;
  const feed = liveFeed(state.accountId);
  const funnel = funnelPanel(
    funnels,
    report,
    { funnelId: funnelId ?? '', unit: state.unit },
    funnelPath === null ? '' : csv(funnelPath, { unit: state.unit }),
    (c) => {
      state.funnelId = c.funnelId;
      state.unit = c.unit;
      reload();
    },
    admin
      ? async (f: NewFunnel) => {
          state.funnelId = (
            await postJson<{ id: string }>('funnels', { account: state.accountId, ...f }, csrfToken)
          ).id;
          reload();
        }
      : null,
  );
  const uploadPanel =
    adminOnly === null
      ? null
      : uploadsPanel(adminOnly.uploads, {
          create: async (destination) => {
            await postJson('conversion-uploads', { account: state.accountId, destination }, csrfToken);
            reload();
          },
          setEnabled: async (id, enabled) => {
            await postJson(
              `conversion-uploads/${encodeURIComponent(id)}/enabled`,
              { account: state.accountId, enabled },
              csrfToken,
            );
            reload();
          },
        });
  const people =
    adminOnly === null
      ? null
      : usersPanel(adminOnly.users, who.accounts, {
          // The link is shown once by the panel; the list reloads when the panel is next built.
          invite: (body) => postJson<Invited>('users/invite', body, csrfToken),
          remove: async (id) => {
            await postJson(`users/${encodeURIComponent(id)}/remove`, {}, csrfToken);
            reload();
          },
          setRole: async (id, body) => {
            await postJson(`users/${encodeURIComponent(id)}/role`, body, csrfToken);
            reload();
          },
          revoke: async (id) => {
            await postJson(`invitations/${encodeURIComponent(id)}/revoke`, {}, csrfToken);
            reload();
          },
        });
  const element = document.createDocumentFragment();
  element.append(
    overview.element,
    h(
      'div',
      { class: 'grid two' },
      channelsTable(
        channels.rows,
        grouping,
        channels.spend !== null,
        csv('channels', { model: state.model, group_by: state.groupBy }),
        h('span', { class: 'panel-selects' }, groupSelect, modelSelect, spendInput),
      ),
      integrityPanel(integrity, csv('integrity')),
    ),
    h(
      'div',
      { class: 'grid two' },
      topTable('landing-pages', 'Top landing pages', 'landing_page', pages.rows, csv('landing-pages')),
      topTable('referrers', 'Top referrers', 'referrer', referrers.rows, csv('referrers')),
    ),
    h(
      'div',
      { class: 'grid two' },
      topTable('campaigns', 'Top campaigns', 'utm_campaign', campaigns.rows, csv('campaigns')),
      topTable('sources', 'Top sources', 'utm_source', sources.rows, csv('sources')),
    ),
    funnel,
    comparePanel(comparison, grouping, csv('compare', { group_by: state.groupBy })),
    h(
      'div',
      { class: 'grid two' },
      conversionsTable(conversions.rows, csv('conversions'), (r) => {
        openJourney(r.id, { account: state.accountId }).catch((e: unknown) => {
          window.alert(e instanceof Error ? e.message : String(e));
        });
      }),
      feed.element,
    ),
  );
  if (uploadPanel !== null) element.append(uploadPanel);
  if (people !== null) element.append(people);
  element.append(passwordPanel(csrfToken, who.user.built_in));
  return { overview, feed, element };
}

export async function dashboardView(
  root: HTMLElement,
  csrfToken: string,
  user: SignedInUser,
  onSignedOut: () => void,
): Promise<void> {
  // A viewer's list holds only their accounts (the server filters it).
  const { accounts } = await getJson<AccountList>('accounts');
  const who: Viewer = { user, accounts, csrfToken };
  const state: State = {
    accountId: accounts[0]?.id ?? '',
    range: presetRange('30d', Date.now()),
    model: 'linear',
    groupBy: 'channel',
    metric: 'visitors',
    funnelId: '',
    unit: 'visitor',
  };
  const main = h('main', { class: 'content', id: 'content' });
  let shown: Panels | null = null;
  let generation = 0;

  const reload = (): void => {
    const mine = ++generation;
    main.setAttribute('aria-busy', 'true');
    buildPanels(state, who, reload)
      .then((panels) => {
        if (mine !== generation) {
          panels.feed.stop();
          return;
        }
        shown?.overview.destroy();
        shown?.feed.stop();
        shown = panels;
        replaceChildren(main, panels.element);
        main.removeAttribute('aria-busy');
      })
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) {
          shown?.feed.stop();
          onSignedOut();
          return;
        }
        replaceChildren(main, h('p', { class: 'error' }, e instanceof Error ? e.message : String(e)));
      });
  };

  const rangeBox = h('div', { class: 'range' });
  rangeControls(rangeBox, state.range, (range) => {
    state.range = range;
    reload();
  });
  const accountSelect = select(
    'account',
    'Account',
    accounts.map((a) => ({ value: a.id, label: a.name })),
    state.accountId,
    (v) => {
      state.accountId = v;
      reload();
    },
  );
  const signOut = h('button', { type: 'button', class: 'ghost', id: 'sign-out' }, 'Sign out');
  signOut.addEventListener('click', () => {
    shown?.feed.stop();
    postJson('logout', {}, csrfToken).finally(onSignedOut);
  });
  // Ends every signed-in browser's session (on every collector sharing the database), this one included.
  const signOutEverywhere = h(
    'button',
    {
      type: 'button',
      class: 'ghost',
      id: 'sign-out-everywhere',
      title:
        user.role === 'admin' ? 'Sign out every browser signed in to this dashboard' : 'Sign out all your sessions',
    },
    'Sign out everywhere',
  );
  const whoAmI = h('span', { class: 'muted who', id: 'who' }, `${user.login ?? 'admin'} (${user.role})`);
  signOutEverywhere.addEventListener('click', () => {
    shown?.feed.stop();
    postJson('logout-everywhere', {}, csrfToken).finally(onSignedOut);
  });
  replaceChildren(
    root,
    h(
      'header',
      { class: 'topbar' },
      h('div', { class: 'brand' }, h('span', { class: 'logo' }), 'Touchline'),
      h(
        'div',
        { class: 'controls' },
        accounts.length > 0 ? accountSelect : null,
        rangeBox,
        whoAmI,
        signOut,
        signOutEverywhere,
      ),
    ),
    main,
  );
  if (accounts.length === 0) {
    replaceChildren(
      main,
      h(
        'section',
        { class: 'panel' },
        h('h2', {}, 'No accounts yet'),
        h(
          'p',
          {},
          'Create an account and an API key with `touchline keys create --account NAME`, send some traffic, then reload.',
        ),
      ),
    );
    return;
  }
  reload();
}
