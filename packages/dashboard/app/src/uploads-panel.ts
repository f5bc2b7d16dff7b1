// The conversion uploads panel: destinations (on/off, delivery counts), a form to add one, and the latest delivery log.
import type { ConversionUploads, UploadDeliveryRow, UploadDestinationRow } from './api-types.js';
import { fmt, h } from './dom.js';

export interface UploadActions {
  create(destination: Record<string, unknown>): Promise<void>;
  setEnabled(id: string, enabled: boolean): Promise<void>;
}

function field(
  id: string,
  label: string,
  attrs: Record<string, string | boolean> = {},
): { row: HTMLElement; input: HTMLInputElement } {
  const input = h('input', { id, name: id, ...attrs }) as HTMLInputElement;
  return { row: h('label', { for: id }, h('span', {}, label), input), input };
}

/** "New destination": the API's fields; the server validates (every problem named) and nothing is sent until it is enabled. */
function newDestinationForm(create: UploadActions['create']): HTMLElement {
  const platform = h(
    'select',
    { id: 'upload-platform', 'aria-label': 'Platform' },
    h('option', { value: 'google_ads' }, 'Google Ads'),
    h('option', { value: 'meta' }, 'Meta'),
  ) as HTMLSelectElement;
  const name = field('upload-name', 'Name', { required: true });
  const endpoint = field('upload-endpoint', 'Endpoint URL (optional)', {
    placeholder: "the platform's documented endpoint",
  });
  const token = field('upload-token', 'Access token', { type: 'password', autocomplete: 'off' });
  const developer = field('upload-developer-token', 'Developer token (Google)', {
    type: 'password',
    autocomplete: 'off',
  });
  const action = field('upload-conversion-action', 'Conversion action (Google)', {
    placeholder: 'customers/123/conversionActions/456',
  });
  const pixel = field('upload-pixel-id', 'Pixel id (Meta)');
  const types = field('upload-types', 'Conversion types', { placeholder: 'purchase, lead' });
  const userData = h('input', { id: 'upload-user-data', type: 'checkbox' }) as HTMLInputElement;
  const enabled = h('input', { id: 'upload-enabled', type: 'checkbox' }) as HTMLInputElement;
  const error = h('p', { class: 'error', id: 'upload-error', role: 'alert' });
  const form = h(
    'form',
    { class: 'upload-form' },
    h('label', { for: 'upload-platform' }, h('span', {}, 'Platform'), platform),
    name.row,
    endpoint.row,
    token.row,
    developer.row,
    action.row,
    pixel.row,
    types.row,
    h('label', { class: 'check', for: 'upload-user-data' }, userData, 'Send hashed email / phone'),
    h('label', { class: 'check', for: 'upload-enabled' }, enabled, 'Enabled'),
    h('button', { type: 'submit' }, 'Add destination'),
    error,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const optional = (key: string, value: string): Record<string, string> =>
      value.trim() === '' ? {} : { [key]: value.trim() };
    const google = platform.value === 'google_ads';
    error.textContent = '';
    create({
      name: name.input.value,
      platform: platform.value,
      ...optional('endpoint_url', endpoint.input.value),
      ...optional('token', token.input.value),
      ...(google
        ? {
            ...optional('developer_token', developer.input.value),
            ...optional('conversion_action', action.input.value),
          }
        : optional('pixel_id', pixel.input.value)),
      conversion_types: types.input.value
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
      send_user_data: userData.checked,
      enabled: enabled.checked,
    }).catch((err: unknown) => {
      error.textContent = err instanceof Error ? err.message : String(err);
    });
  });
  return h('details', { class: 'new-upload-box' }, h('summary', {}, 'New destination'), form);
}

function destinationsTable(
  rows: readonly UploadDestinationRow[],
  setEnabled: UploadActions['setEnabled'],
): HTMLElement {
  if (rows.length === 0)
    return h(
      'p',
      { class: 'empty' },
      'No destinations: nothing is sent to any ad platform. Add one below, or with POST /api/v1/conversion-uploads.',
    );
  const toggle = (d: UploadDestinationRow): HTMLElement => {
    const box = h('input', {
      type: 'checkbox',
      checked: d.enabled,
      'aria-label': `Send to ${d.name}`,
      'data-destination': d.id,
    }) as HTMLInputElement;
    box.addEventListener('change', () => {
      setEnabled(d.id, box.checked).catch((e: unknown) => {
        box.checked = !box.checked;
        window.alert(e instanceof Error ? e.message : String(e));
      });
    });
    return box;
  };
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { id: 'upload-destinations' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['On', 'Destination', 'Platform', 'Types', 'Delivered', 'Pending', 'Failed', 'Skipped'].map((c, i) =>
            h('th', { class: i >= 4 ? 'num' : '' }, c),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...rows.map((d) =>
          h(
            'tr',
            { 'data-id': d.id },
            h('td', {}, toggle(d)),
            h('td', { title: d.endpoint_url }, d.name),
            h('td', {}, d.platform === 'google_ads' ? 'Google Ads' : 'Meta'),
            h('td', {}, d.conversion_types.join(', ')),
            h('td', { class: 'num' }, fmt.count(d.deliveries.delivered)),
            h('td', { class: 'num' }, fmt.count(d.deliveries.pending)),
            h('td', { class: 'num' }, fmt.count(d.deliveries.failed)),
            h('td', { class: 'num' }, fmt.count(d.deliveries.skipped)),
          ),
        ),
      ),
    ),
  );
}

function logTable(rows: readonly UploadDeliveryRow[], names: ReadonlyMap<string, string>): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty', id: 'upload-log-empty' }, 'No deliveries yet.');
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { id: 'upload-log' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Updated', 'Destination', 'Conversion', 'Status', 'Attempts', 'Response', 'Last error'].map((c) =>
            h('th', { class: c === 'Attempts' || c === 'Response' ? 'num' : '' }, c),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...rows.map((r) =>
          h(
            'tr',
            { class: `status-${r.status}` },
            h('td', {}, fmt.time(r.updated_at)),
            h('td', {}, names.get(r.destination_id) ?? r.destination_id),
            h('td', {}, r.conversion_id),
            h('td', {}, r.status),
            h('td', { class: 'num' }, String(r.attempts)),
            h('td', { class: 'num' }, r.response_code === null ? '—' : String(r.response_code)),
            h('td', { class: 'muted' }, r.last_error ?? ''),
          ),
        ),
      ),
    ),
  );
}

export function uploadsPanel(data: ConversionUploads, actions: UploadActions): HTMLElement {
  const names = new Map(data.destinations.map((d) => [d.id, d.name]));
  return h(
    'section',
    { class: 'panel', id: 'uploads' },
    h('header', { class: 'panel-head' }, h('h2', {}, 'Conversion uploads')),
    h(
      'p',
      { class: 'muted note' },
      'Conversions whose journey carries a gclid (Google Ads) or fbclid (Meta) are sent back to the platform by the collector, with retries; nothing is sent to a destination that is off.',
    ),
    destinationsTable(data.destinations, actions.setEnabled),
    newDestinationForm(actions.create),
    h('h3', {}, 'Delivery log'),
    logTable(data.deliveries, names),
  );
}
