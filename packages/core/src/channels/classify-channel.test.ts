// Table tests of the channel classifier's rules and their precedence, plus a never-throws property.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNELS, type Channel } from './channel.js';
import { classifyChannel, type ChannelInput } from './classify-channel.js';

const LANDING = 'https://shop.example.com/landing?x=1';

interface Row {
  label: string;
  input: Partial<ChannelInput>;
  channel: Channel;
  reason: string;
  source?: string | null;
}

const row = (
  label: string,
  input: Partial<ChannelInput>,
  channel: Channel,
  reason: string,
  source?: string | null,
): Row => ({ label, input, channel, reason, source });
const ref = (referrer: string | null, extra: Partial<ChannelInput> = {}): Partial<ChannelInput> => ({
  referrer,
  ...extra,
});
const utm = (tags: ChannelInput['utm'], extra: Partial<ChannelInput> = {}): Partial<ChannelInput> => ({
  utm: tags,
  ...extra,
});
const click = (clickIds: Record<string, string>, extra: Partial<ChannelInput> = {}): Partial<ChannelInput> => ({
  clickIds,
  ...extra,
});

const rows: Row[] = [
  // 1. Click ids.
  row('gclid', click({ gclid: 'a' }), 'paid_search', 'click_id:gclid', 'google'),
  row('gbraid', click({ gbraid: 'a' }), 'paid_search', 'click_id:gbraid', 'google'),
  row('wbraid', click({ wbraid: 'a' }), 'paid_search', 'click_id:wbraid', 'google'),
  row('gad_source', click({ gad_source: '1' }), 'paid_search', 'click_id:gad_source', 'google'),
  row('msclkid', click({ msclkid: 'a' }), 'paid_search', 'click_id:msclkid', 'bing'),
  row('yclid', click({ yclid: 'a' }), 'paid_search', 'click_id:yclid', 'yandex'),
  row('dclid is display, not search', click({ dclid: 'a' }), 'display', 'click_id:dclid', 'google'),
  row('ttclid', click({ ttclid: 'a' }), 'paid_social', 'click_id:ttclid', 'tiktok'),
  row('twclid', click({ twclid: 'a' }), 'paid_social', 'click_id:twclid', 'x'),
  row('li_fat_id', click({ li_fat_id: 'a' }), 'paid_social', 'click_id:li_fat_id', 'linkedin'),
  row('epik', click({ epik: 'a' }), 'paid_social', 'click_id:epik', 'pinterest'),
  row('sccid', click({ sccid: 'a' }), 'paid_social', 'click_id:sccid', 'snapchat'),
  row('rdt_cid', click({ rdt_cid: 'a' }), 'paid_social', 'click_id:rdt_cid', 'reddit'),
  row('irclickid', click({ irclickid: 'a' }), 'affiliate', 'click_id:irclickid', 'impact'),
  row('mc_cid', click({ mc_cid: 'a' }), 'email', 'click_id:mc_cid', 'mailchimp'),
  row('_kx', click({ _kx: 'a' }), 'email', 'click_id:_kx', 'klaviyo'),
  row(
    'fbclid alone is an organic share',
    click({ fbclid: 'a' }),
    'organic_social',
    'click_id:fbclid_unpaid',
    'facebook',
  ),
  row(
    'fbclid + utm_medium=paid',
    click({ fbclid: 'a' }, utm({ utm_medium: 'paid' })),
    'paid_social',
    'click_id:fbclid+paid_medium',
    'facebook',
  ),
  row(
    'fbclid + cpc + ig keeps Instagram',
    click({ fbclid: 'a' }, utm({ utm_medium: 'CPC', utm_source: 'ig' })),
    'paid_social',
    'click_id:fbclid+paid_medium',
    'instagram',
  ),
  row(
    'fbclid + utm_medium=email stays unpaid social',
    click({ fbclid: 'a' }, utm({ utm_medium: 'email' })),
    'organic_social',
    'click_id:fbclid_unpaid',
  ),
  row('gclid beats fbclid', click({ fbclid: 'a', gclid: 'b' }), 'paid_search', 'click_id:gclid'),
  row(
    'gclid beats utm_medium=email',
    click({ gclid: 'a' }, utm({ utm_medium: 'email', utm_source: 'newsletter' })),
    'paid_search',
    'click_id:gclid',
  ),
  row(
    'gclid beats a self-referral',
    click({ gclid: 'a' }, ref('https://shop.example.com/cart')),
    'paid_search',
    'click_id:gclid',
  ),
  row('click id keys are case-insensitive', click({ GCLID: 'a' }), 'paid_search', 'click_id:gclid'),
  row(
    'blank click id is ignored',
    click({ gclid: '  ' }, ref('https://www.google.com/')),
    'organic_search',
    'referrer:search',
  ),
  row('unknown click id key is ignored', click({ zzclid: 'a' }), 'direct', 'no_referrer', null),
  // 2. UTM conventions.
  row(
    'cpc + google',
    utm({ utm_medium: 'cpc', utm_source: 'google' }),
    'paid_search',
    'utm_medium:paid+search_source',
    'google',
  ),
  row(
    'ppc + bing',
    utm({ utm_medium: 'ppc', utm_source: 'bing' }),
    'paid_search',
    'utm_medium:paid+search_source',
    'bing',
  ),
  row(
    'paid + facebook',
    utm({ utm_medium: 'paid', utm_source: 'facebook' }),
    'paid_social',
    'utm_medium:paid+social_source',
    'facebook',
  ),
  row(
    'cpc + linkedin.com host as source',
    utm({ utm_medium: 'cpc', utm_source: 'linkedin.com' }),
    'paid_social',
    'utm_medium:paid+social_source',
    'linkedin',
  ),
  row(
    'cpc + unlisted source',
    utm({ utm_medium: 'cpc', utm_source: 'acme' }),
    'paid_search',
    'utm_medium:paid+other_source',
    'acme',
  ),
  row(
    'cpc + google-ads qualified source',
    utm({ utm_medium: 'cpc', utm_source: 'Google_Ads' }),
    'paid_search',
    'utm_medium:paid+search_source',
    'google',
  ),
  row('paidsearch', utm({ utm_medium: 'paidsearch', utm_source: 'acme' }), 'paid_search', 'utm_medium:paid_search'),
  row('Paid_Social, mixed case', utm({ utm_medium: 'Paid_Social' }), 'paid_social', 'utm_medium:paid_social', null),
  row('display', utm({ utm_medium: 'display', utm_source: 'google' }), 'display', 'utm_medium:display', 'google'),
  row('banner', utm({ utm_medium: 'banner' }), 'display', 'utm_medium:display'),
  row('cpm', utm({ utm_medium: 'cpm', utm_source: 'facebook' }), 'display', 'utm_medium:display'),
  row('email', utm({ utm_medium: 'email', utm_source: 'weekly' }), 'email', 'utm_medium:email', 'weekly'),
  row('E-Mail', utm({ utm_medium: 'E-Mail' }), 'email', 'utm_medium:email'),
  row('newsletter', utm({ utm_medium: 'newsletter' }), 'email', 'utm_medium:email'),
  row('qualified medium email-weekly', utm({ utm_medium: 'email-weekly' }), 'email', 'utm_medium:email'),
  row(
    'social',
    utm({ utm_medium: 'social', utm_source: 'facebook' }),
    'organic_social',
    'utm_medium:social',
    'facebook',
  ),
  row('social-media', utm({ utm_medium: 'social-media' }), 'organic_social', 'utm_medium:social'),
  row('sm', utm({ utm_medium: 'sm' }), 'organic_social', 'utm_medium:social'),
  row(
    'affiliate',
    utm({ utm_medium: 'affiliate', utm_source: 'partnerco' }),
    'affiliate',
    'utm_medium:affiliate',
    'partnerco',
  ),
  row(
    'referral medium',
    utm({ utm_medium: 'referral', utm_source: 'blogroll' }),
    'referral',
    'utm_medium:referral',
    'blogroll',
  ),
  row(
    'organic + google',
    utm({ utm_medium: 'organic', utm_source: 'google' }),
    'organic_search',
    'utm_medium:organic',
    'google',
  ),
  row(
    'organic + facebook is social',
    utm({ utm_medium: 'organic', utm_source: 'facebook' }),
    'organic_social',
    'utm_medium:organic',
    'facebook',
  ),
  row(
    'ChatGPT adds utm_source=chatgpt.com',
    utm({ utm_source: 'chatgpt.com' }),
    'ai_assistant',
    'utm_source:known_source',
    'chatgpt',
  ),
  row(
    'utm_source given as a URL',
    utm({ utm_source: 'https://www.perplexity.ai/' }),
    'ai_assistant',
    'utm_source:known_source',
    'perplexity',
  ),
  row(
    'single-letter alias needs an exact match',
    utm({ utm_source: 'x-mas-promo' }),
    'referral',
    'utm_unclassified',
    'x-mas-promo',
  ),
  row(
    'unknown medium + known source',
    utm({ utm_medium: 'story', utm_source: 'IG' }),
    'organic_social',
    'utm_source:known_source',
    'instagram',
  ),
  row(
    'source newsletter without medium',
    utm({ utm_source: 'newsletter' }),
    'email',
    'utm_source:known_source',
    'email',
  ),
  row(
    'unclassifiable source and medium',
    utm({ utm_medium: 'weird', utm_source: 'Acme Corp' }),
    'referral',
    'utm_unclassified',
    'acme-corp',
  ),
  row('unclassifiable medium alone', utm({ utm_medium: 'weird' }), 'referral', 'utm_unclassified', null),
  row(
    'utm beats a search referrer',
    utm({ utm_medium: 'email' }, ref('https://www.google.com/')),
    'email',
    'utm_medium:email',
  ),
  row(
    'utm beats a self-referral',
    utm({ utm_medium: 'social' }, ref('https://shop.example.com/')),
    'organic_social',
    'utm_medium:social',
  ),
  row(
    'campaign-only tags defer to the referrer',
    utm({ utm_campaign: 'spring' }, ref('https://www.bing.com/')),
    'organic_search',
    'referrer:search',
    'bing',
  ),
  row('campaign-only tags without referrer', utm({ utm_campaign: 'spring' }), 'referral', 'utm_unclassified', null),
  // 3. Referrer hosts.
  row('google.com', ref('https://www.google.com/'), 'organic_search', 'referrer:search', 'google'),
  row('google.co.uk', ref('https://www.google.co.uk/'), 'organic_search', 'referrer:search', 'google'),
  row('news.google.co.uk', ref('https://news.google.co.uk/articles/x'), 'organic_search', 'referrer:search', 'google'),
  row('google.com.br', ref('https://www.google.com.br/'), 'organic_search', 'referrer:search', 'google'),
  row('google.de', ref('https://www.google.de/'), 'organic_search', 'referrer:search', 'google'),
  row('bing.com', ref('https://www.bing.com/search?q=x'), 'organic_search', 'referrer:search', 'bing'),
  row('duckduckgo.com', ref('https://duckduckgo.com/'), 'organic_search', 'referrer:search', 'duckduckgo'),
  row('yahoo.co.jp', ref('https://search.yahoo.co.jp/'), 'organic_search', 'referrer:search', 'yahoo'),
  row('yandex.ru', ref('https://yandex.ru/search/'), 'organic_search', 'referrer:search', 'yandex'),
  row('ecosia.org', ref('https://www.ecosia.org/'), 'organic_search', 'referrer:search', 'ecosia'),
  row('search.brave.com', ref('https://search.brave.com/search?q=x'), 'organic_search', 'referrer:search', 'brave'),
  row(
    'brave.com itself is not a search engine',
    ref('https://brave.com/download/'),
    'referral',
    'referrer:unlisted_host',
    'brave.com',
  ),
  row('uppercase referrer', ref('HTTPS://WWW.GOOGLE.COM/'), 'organic_search', 'referrer:search', 'google'),
  row('trailing-dot host', ref('https://www.google.com./'), 'organic_search', 'referrer:search', 'google'),
  row(
    'mail.google.com is webmail, not search',
    ref('https://mail.google.com/mail/u/0/'),
    'email',
    'referrer:email',
    'gmail',
  ),
  row(
    'gemini.google.com is an AI assistant',
    ref('https://gemini.google.com/app'),
    'ai_assistant',
    'referrer:ai',
    'gemini',
  ),
  row('outlook.live.com', ref('https://outlook.live.com/'), 'email', 'referrer:email', 'outlook'),
  row(
    'Outlook safe links',
    ref('https://nam12.safelinks.protection.outlook.com/?url=x'),
    'email',
    'referrer:email',
    'outlook',
  ),
  row('mail.yahoo.com', ref('https://mail.yahoo.com/d/folders/1'), 'email', 'referrer:email', 'yahoo_mail'),
  row('mail.yahoo.co.jp', ref('https://mail.yahoo.co.jp/'), 'email', 'referrer:email', 'yahoo_mail'),
  row('chatgpt.com', ref('https://chatgpt.com/'), 'ai_assistant', 'referrer:ai', 'chatgpt'),
  row('chat.openai.com', ref('https://chat.openai.com/c/1'), 'ai_assistant', 'referrer:ai', 'chatgpt'),
  row('perplexity.ai', ref('https://www.perplexity.ai/search/x'), 'ai_assistant', 'referrer:ai', 'perplexity'),
  row('claude.ai', ref('https://claude.ai/chat/1'), 'ai_assistant', 'referrer:ai', 'claude'),
  row('copilot.microsoft.com', ref('https://copilot.microsoft.com/'), 'ai_assistant', 'referrer:ai', 'copilot'),
  row('l.facebook.com', ref('https://l.facebook.com/l.php?u=x'), 'organic_social', 'referrer:social', 'facebook'),
  row('lm.facebook.com', ref('https://lm.facebook.com/l.php?u=x'), 'organic_social', 'referrer:social', 'facebook'),
  row('m.facebook.com', ref('https://m.facebook.com/'), 'organic_social', 'referrer:social', 'facebook'),
  row('t.co', ref('https://t.co/abc'), 'organic_social', 'referrer:social', 'x'),
  row('l.instagram.com', ref('https://l.instagram.com/?u=x'), 'organic_social', 'referrer:social', 'instagram'),
  row('lnkd.in', ref('https://lnkd.in/abc'), 'organic_social', 'referrer:social', 'linkedin'),
  row('youtube.com', ref('https://www.youtube.com/watch?v=1'), 'organic_social', 'referrer:social', 'youtube'),
  row('Gmail Android app', ref('android-app://com.google.android.gm/'), 'email', 'referrer_app:email', 'gmail'),
  row(
    'Google Android app',
    ref('android-app://com.google.android.googlequicksearchbox/'),
    'organic_search',
    'referrer_app:search',
    'google',
  ),
  row(
    'unlisted Android app',
    ref('android-app://org.example.reader/'),
    'referral',
    'referrer_app:unlisted',
    'android-app:org.example.reader',
  ),
  row('unlisted host', ref('https://Blog.Example.org/post'), 'referral', 'referrer:unlisted_host', 'blog.example.org'),
  row(
    'google.* matches only at the public suffix',
    ref('https://google.evil.com/'),
    'referral',
    'referrer:unlisted_host',
    'google.evil.com',
  ),
  row('lookalike host', ref('https://notgoogle.com/'), 'referral', 'referrer:unlisted_host', 'notgoogle.com'),
  row('IP address referrer', ref('http://192.168.0.1/admin'), 'referral', 'referrer:unlisted_host', '192.168.0.1'),
  // 3. Self-referral (DESIGN L8).
  row('same host', ref('https://shop.example.com/cart'), 'direct', 'self_referral', null),
  row(
    'www. variant of the landing host',
    ref('https://shop.example.com/', { landingUrl: 'https://www.shop.example.com/' }),
    'direct',
    'self_referral',
  ),
  row('subdomain of the landing host', ref('https://checkout.shop.example.com/'), 'direct', 'self_referral'),
  row(
    'subdomain of an ownHosts entry',
    ref('https://blog.example.com/', { ownHosts: ['example.com'] }),
    'direct',
    'self_referral',
  ),
  row(
    'ownHosts entry with scheme, case and port',
    ref('https://pay.example.net/', { ownHosts: ['https://Pay.Example.NET:8443/'] }),
    'direct',
    'self_referral',
  ),
  row(
    'a parent of the landing host is not the site',
    ref('https://example.com/'),
    'referral',
    'referrer:unlisted_host',
    'example.com',
  ),
  row(
    'public-suffix ownHosts entry swallows nothing',
    ref('https://www.google.co.uk/', { ownHosts: ['co.uk', 'com', ''] }),
    'organic_search',
    'referrer:search',
  ),
  row(
    'no landing URL: a google referrer is still search',
    ref('https://www.google.com/', { landingUrl: null }),
    'organic_search',
    'referrer:search',
  ),
  row(
    'landing on localhost',
    ref('http://localhost:3000/a', { landingUrl: 'http://localhost:3000/b' }),
    'direct',
    'self_referral',
  ),
  // 4. Direct and garbage.
  row('no referrer', ref(null), 'direct', 'no_referrer', null),
  row('empty referrer', ref(''), 'direct', 'no_referrer'),
  row('blank referrer', ref('   '), 'direct', 'no_referrer'),
  row('unparseable referrer', ref('not a url'), 'direct', 'referrer_unparseable', null),
  row('scheme-only referrer', ref('http://'), 'direct', 'referrer_unparseable'),
  row('about:blank referrer', ref('about:blank'), 'direct', 'referrer_not_web'),
  row(
    'garbage landing URL',
    ref('https://www.google.com/', { landingUrl: '%%%' }),
    'organic_search',
    'referrer:search',
  ),
  row(
    'huge referrer path',
    ref(`https://www.bing.com/${'x'.repeat(200_000)}`),
    'organic_search',
    'referrer:search',
    'bing',
  ),
  row('over-long host', ref(`https://${'a'.repeat(300)}.com/`), 'direct', 'referrer_unparseable', null),
  row('huge utm_source', utm({ utm_source: 'z'.repeat(200_000) }), 'referral', 'utm_unclassified'),
];

describe('classifyChannel', () => {
  it('has a table of at least 60 rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(60);
  });

  it.each(rows)('$label -> $channel ($reason)', ({ input, channel, reason, source }) => {
    const result = classifyChannel({ utm: {}, clickIds: {}, referrer: null, landingUrl: LANDING, ...input });
    expect({ channel: result.channel, reason: result.reason }).toEqual({ channel, reason });
    if (source !== undefined) expect(result.source).toBe(source);
  });

  it('never throws and always returns a known channel, whatever the strings', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.webUrl(),
      fc.constantFrom('', ' ', 'http://', 'android-app://', 'https://google.com.'),
    );
    const input = fc.record({
      utm: fc.record({ utm_source: text, utm_medium: text, utm_campaign: text }, { requiredKeys: [] }),
      clickIds: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('gclid', 'fbclid', 'dclid', '__proto__')), text),
      referrer: fc.option(text, { nil: null }),
      landingUrl: fc.option(text, { nil: null }),
      ownHosts: fc.option(fc.array(text, { maxLength: 4 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(input, (i) => {
        const result = classifyChannel(i);
        expect(CHANNELS).toContain(result.channel);
        expect(result.reason).not.toBe('');
        expect(result.source === null || typeof result.source === 'string').toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('never calls a page of the landing site a referral', () => {
    fc.assert(
      fc.property(fc.webUrl(), fc.webPath(), (landingUrl, path) => {
        const referrer = `${new URL(landingUrl).origin}/${path}`;
        const result = classifyChannel({ utm: {}, clickIds: {}, referrer, landingUrl });
        expect(result).toEqual({ channel: 'direct', source: null, reason: 'self_referral' });
      }),
      { numRuns: 1_000 },
    );
  });
});
