// Which ad platform a click id belongs to, for attribution breakdowns by platform (group_by=click_platform).

/** Checked in this order: the first key a session's click ids hold names its platform. */
export const CLICK_PLATFORMS: readonly { readonly key: string; readonly platform: string }[] = Object.freeze([
  { key: 'gclid', platform: 'google' },
  { key: 'gbraid', platform: 'google' },
  { key: 'wbraid', platform: 'google' },
  { key: 'dclid', platform: 'google' },
  { key: 'gad_source', platform: 'google' },
  { key: 'msclkid', platform: 'microsoft' },
  { key: 'fbclid', platform: 'meta' },
  { key: 'ttclid', platform: 'tiktok' },
  { key: 'li_fat_id', platform: 'linkedin' },
  { key: 'twclid', platform: 'x' },
  { key: 'epik', platform: 'pinterest' },
  { key: 'sccid', platform: 'snapchat' },
  { key: 'rdt_cid', platform: 'reddit' },
  { key: 'yclid', platform: 'yandex' },
]);
