// Entry point of the dashboard page: asks the server whether to show setup, sign-in or the dashboard.
import { getJson } from './api.js';
import type { SessionState } from './api-types.js';
import { dashboardView } from './dashboard-view.js';
import { h, replaceChildren } from './dom.js';
import { setupView, signInView } from './sign-in-view.js';

async function boot(root: HTMLElement): Promise<void> {
  const session = await getJson<SessionState>('session');
  if (session.state === 'setup') { replaceChildren(root, setupView(session.help)); return; }
  if (session.state === 'signed_out') { replaceChildren(root, signInView(() => { void boot(root); })); return; }
  await dashboardView(root, session.csrf_token, () => { void boot(root); });
}

const root = document.getElementById('app');
if (root !== null) {
  boot(root).catch((e: unknown) => replaceChildren(root, h('main', { class: 'auth' }, h('p', { class: 'error' }, `The dashboard could not load: ${e instanceof Error ? e.message : String(e)}`))));
}
