// Tests campaign parameter extraction and fingerprints.
import { describe, expect, it } from 'vitest';
import { campaignFingerprint, extractCampaign } from './campaign.js';

describe('extractCampaign', () => {
  it('reads UTM parameters and click ids, trimming and ignoring empty values', () => {
    const c = extractCampaign(new URL('https://a.example/?utm_source=%20news%20&utm_medium=email&utm_term=&gclid=G1&msclkid=M'));
    expect(c).toEqual({ utm: { utm_source: 'news', utm_medium: 'email' }, clickIds: { gclid: 'G1', msclkid: 'M' } });
  });

  it('returns null without campaign parameters or without a URL', () => {
    expect(extractCampaign(new URL('https://a.example/p?q=1'))).toBeNull();
    expect(extractCampaign(null)).toBeNull();
  });

  it('fingerprints equal campaigns equally and different ones differently, whatever the parameter order', () => {
    const a = extractCampaign(new URL('https://a.example/?utm_source=x&utm_campaign=y'));
    const b = extractCampaign(new URL('https://a.example/?utm_campaign=y&utm_source=x&other=1'));
    const c = extractCampaign(new URL('https://a.example/?utm_source=x&utm_campaign=z'));
    if (!a || !b || !c) throw new Error('expected campaigns');
    expect(campaignFingerprint(a)).toBe(campaignFingerprint(b));
    expect(campaignFingerprint(a)).not.toBe(campaignFingerprint(c));
    expect(campaignFingerprint(a)).toMatch(/^[0-9a-z]{1,7}$/);
  });
});
