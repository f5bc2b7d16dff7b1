// Entry point of the dashboard page: an invitation link sets a password; otherwise asks the server whether to show setup, sign-in or the dashboard.
import { getJson } from './api.js';
import type { SessionState } from './api-types.js';
import { dashboardView } from './dashboard-view.js';
import { h, replaceChildren } from './dom.js';
import { invitationToken, invitationView } from './invitation-view.js';
import { setupView, signInView } from './sign-in-view.js';

async function boot(root: HTMLElement, prefill: { login?: string; notice?: string } = {}): Promise<void> {
  const token = invitationToken(location.hash);
  if (token !== null) {
    replaceChildren(
      root,
      await invitationView(token, (login) => {
        // The token leaves the address bar (and history) once it has been used.
        history.replaceState(null, '', location.pathname);
        void boot(root, { login, notice: 'Your password is set. Sign in with it.' });
      }),
    );
    return;
  }
  const session = await getJson<SessionState>('session');
  if (session.state === 'setup') {
    replaceChildren(root, setupView(session.help));
    return;
  }
  if (session.state === 'signed_out') {
    replaceChildren(
      root,
      signInView(() => {
        void boot(root);
      }, prefill),
    );
    return;
  }
  await dashboardView(root, session.csrf_token, session.user, () => {
    void boot(root);
  });
}

const root = document.getElementById('app');
if (root !== null) {
  boot(root).catch((e: unknown) =>
    replaceChildren(
      root,
      h(
        'main',
        { class: 'auth' },
        h('p', { class: 'error' }, `The dashboard could not load: ${e instanceof Error ? e.message : String(e)}`),
      ),
    ),
  );
}
