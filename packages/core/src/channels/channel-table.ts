// Touchline's own table of the hosts, click ids and UTM conventions that name a channel (MIT; written from general knowledge, not derived from any GPL referer list).

/** What kind of traffic a known service sends when nobody paid for the click. */
export type SourceKind = 'search' | 'social' | 'email' | 'ai';

/**
 * One service. `hosts` are matched by suffix (a subdomain of a listed host is that service);
 * a trailing `.*` stands for any public suffix (`google.*` covers google.co.uk and google.com.br).
 * `aliases` are the utm_source spellings people use for it; `apps` are Android package ids seen
 * in `android-app://` referrers.
 */
export interface SourceEntry {
  readonly source: string;
  readonly kind: SourceKind;
  readonly hosts: readonly string[];
  readonly aliases?: readonly string[];
  readonly apps?: readonly string[];
}

const entry = (
  kind: SourceKind,
  source: string,
  hosts: readonly string[],
  aliases: readonly string[] = [],
  apps: readonly string[] = [],
): SourceEntry => ({ source, kind, hosts, aliases, apps });

/** More specific hosts win over shorter ones whatever their order here (mail.google.com is not Google search). */
export const SOURCE_TABLE: readonly SourceEntry[] = Object.freeze([
  // Search engines.
  entry(
    'search',
    'google',
    ['google.*'],
    ['adwords', 'googleads'],
    ['com.google.android.googlequicksearchbox', 'com.google.android.apps.searchlite'],
  ),
  entry('search', 'bing', ['bing.com'], ['microsoft', 'msn']),
  entry('search', 'duckduckgo', ['duckduckgo.com'], ['ddg']),
  entry('search', 'yahoo', ['yahoo.*']),
  entry('search', 'yandex', ['yandex.*', 'ya.ru']),
  entry('search', 'baidu', ['baidu.com']),
  entry('search', 'ecosia', ['ecosia.org']),
  entry('search', 'brave', ['search.brave.com']),
  entry('search', 'qwant', ['qwant.com']),
  entry('search', 'startpage', ['startpage.com']),
  entry('search', 'naver', ['naver.com']),
  entry('search', 'seznam', ['seznam.cz']),
  entry('search', 'ask', ['ask.com']),
  entry('search', 'aol', ['search.aol.*']),
  entry('search', 'daum', ['daum.net']),
  entry('search', 'sogou', ['sogou.com']),
  entry('search', 'so360', ['so.com']),
  entry('search', 'kagi', ['kagi.com']),
  entry('search', 'mojeek', ['mojeek.com']),
  entry('search', 'swisscows', ['swisscows.com']),
  entry('search', 'coccoc', ['coccoc.com']),
  entry('search', 'petal', ['petalsearch.com']),
  entry('search', 'yep', ['yep.com']),
  // Social networks and messengers. Federated networks (Mastodon, Lemmy) run on any host, so only their names are listed.
  entry(
    'social',
    'facebook',
    ['facebook.com', 'fb.com', 'fb.me', 'messenger.com'],
    ['fb', 'meta'],
    ['com.facebook.katana', 'com.facebook.orca', 'com.facebook.lite'],
  ),
  entry('social', 'instagram', ['instagram.com'], ['ig'], ['com.instagram.android']),
  entry('social', 'x', ['t.co', 'twitter.com', 'x.com'], ['twitter', 'tw'], ['com.twitter.android']),
  entry('social', 'linkedin', ['linkedin.com', 'lnkd.in'], ['li'], ['com.linkedin.android']),
  entry('social', 'reddit', ['reddit.com', 'redd.it'], [], ['com.reddit.frontpage']),
  entry('social', 'pinterest', ['pinterest.*', 'pin.it'], [], ['com.pinterest']),
  entry('social', 'tiktok', ['tiktok.com'], [], ['com.zhiliaoapp.musically']),
  entry('social', 'youtube', ['youtube.com', 'youtu.be'], ['yt'], ['com.google.android.youtube']),
  entry('social', 'threads', ['threads.net', 'threads.com']),
  entry('social', 'snapchat', ['snapchat.com'], ['snap']),
  entry('social', 'quora', ['quora.com']),
  entry('social', 'vk', ['vk.com', 'vk.ru'], ['vkontakte']),
  entry('social', 'odnoklassniki', ['ok.ru']),
  entry('social', 'weibo', ['weibo.com', 'weibo.cn', 't.cn']),
  entry('social', 'telegram', ['t.me', 'telegram.org', 'telegram.me'], [], ['org.telegram.messenger']),
  entry('social', 'whatsapp', ['whatsapp.com', 'wa.me'], ['wa'], ['com.whatsapp']),
  entry('social', 'discord', ['discord.com', 'discord.gg', 'discordapp.com'], [], ['com.discord']),
  entry('social', 'tumblr', ['tumblr.com']),
  entry('social', 'bluesky', ['bsky.app'], ['bsky']),
  entry('social', 'hackernews', ['news.ycombinator.com'], ['hn']),
  entry('social', 'line', ['line.me']),
  entry('social', 'xing', ['xing.com']),
  entry('social', 'slack', ['slack.com']),
  entry('social', 'twitch', ['twitch.tv']),
  entry('social', 'mastodon', [], ['mastodon']),
  // Webmail, plus the names email tools put in utm_source.
  entry('email', 'gmail', ['mail.google.com'], [], ['com.google.android.gm']),
  entry(
    'email',
    'outlook',
    ['outlook.live.com', 'outlook.office.com', 'outlook.office365.com', 'outlook.com'],
    [],
    ['com.microsoft.office.outlook'],
  ),
  entry('email', 'yahoo_mail', ['mail.yahoo.*'], [], ['com.yahoo.mobile.client.android.mail']),
  entry('email', 'aol_mail', ['mail.aol.com']),
  entry('email', 'proton_mail', ['mail.proton.me', 'mail.protonmail.com'], ['protonmail']),
  entry('email', 'yandex_mail', ['mail.yandex.*']),
  entry('email', 'mail_ru', ['e.mail.ru']),
  entry('email', 'zoho_mail', ['mail.zoho.*']),
  entry('email', 'icloud_mail', ['icloud.com']),
  entry('email', 'fastmail', ['fastmail.com']),
  entry('email', 'gmx', ['gmx.*', 'deref-gmx.net', 'deref-gmx.com']),
  entry('email', 'web_de', ['web.de', 'deref-web.de', 'deref-web-02.de']),
  entry('email', 'mail_com', ['mail.com']),
  entry('email', 'tuta', ['app.tuta.com', 'mail.tutanota.com']),
  entry('email', 'hey_mail', ['app.hey.com']),
  entry('email', 'qq_mail', ['mail.qq.com']),
  entry('email', 'netease_mail', ['mail.163.com', 'mail.126.com']),
  entry('email', 'naver_mail', ['mail.naver.com']),
  entry('email', 'daum_mail', ['mail.daum.net']),
  entry('email', 'email', [], ['email', 'e-mail', 'newsletter', 'mail']),
  entry('email', 'mailchimp', [], ['mailchimp']),
  entry('email', 'klaviyo', [], ['klaviyo']),
  entry('email', 'brevo', [], ['brevo', 'sendinblue']),
  entry('email', 'sendgrid', [], ['sendgrid']),
  entry('email', 'convertkit', [], ['convertkit']),
  // AI assistants.
  entry('ai', 'chatgpt', ['chatgpt.com', 'chat.openai.com'], ['openai'], ['com.openai.chatgpt']),
  entry('ai', 'perplexity', ['perplexity.ai'], [], ['ai.perplexity.app.android']),
  entry('ai', 'claude', ['claude.ai'], [], ['com.anthropic.claude']),
  entry('ai', 'gemini', ['gemini.google.com', 'bard.google.com'], ['bard'], ['com.google.android.apps.bard']),
  entry('ai', 'copilot', ['copilot.microsoft.com', 'copilot.cloud.microsoft', 'edgeservices.bing.com']),
  entry('ai', 'poe', ['poe.com']),
  entry('ai', 'you_com', ['you.com']),
  entry('ai', 'phind', ['phind.com']),
  entry('ai', 'mistral', ['chat.mistral.ai'], ['lechat']),
  entry('ai', 'deepseek', ['chat.deepseek.com']),
  entry('ai', 'grok', ['grok.com']),
  entry('ai', 'meta_ai', ['meta.ai']),
  entry('ai', 'notebooklm', ['notebooklm.google.com']),
  entry('ai', 'character_ai', ['character.ai']),
  entry('ai', 'kimi', ['kimi.com', 'kimi.moonshot.cn']),
  entry('ai', 'qwen', ['chat.qwen.ai']),
]);

/** What a utm_medium value says, before the source is considered. */
export type MediumKind =
  | 'paid'
  | 'paid_search'
  | 'paid_social'
  | 'display'
  | 'email'
  | 'social'
  | 'affiliate'
  | 'referral'
  | 'organic'
  | 'ai';

/** Mediums are compared lowercased with runs of spaces and underscores turned into `-`. */
export const MEDIUM_TABLE: Readonly<Record<MediumKind, readonly string[]>> = Object.freeze({
  paid_search: ['paidsearch', 'paid-search', 'search-paid', 'sem', 'search-ads'],
  paid_social: ['paidsocial', 'paid-social', 'social-paid', 'social-ads', 'paid-social-media'],
  // Cost-per-click and friends name a paid click but not where; the source decides search or social.
  paid: ['cpc', 'ppc', 'paid', 'cpv', 'ads', 'ad', 'paid-media', 'paidmedia', 'retargeting', 'sponsored'],
  display: ['display', 'banner', 'cpm', 'programmatic', 'native', 'interstitial', 'rich-media', 'display-ads'],
  email: ['email', 'e-mail', 'newsletter', 'mail', 'edm', 'email-marketing'],
  social: ['social', 'social-media', 'socialmedia', 'sm', 'social-network', 'organic-social', 'social-organic'],
  affiliate: ['affiliate', 'affiliates', 'aff', 'cpa'],
  referral: ['referral', 'referrer', 'ref'],
  organic: ['organic', 'organic-search', 'seo'],
  ai: ['ai', 'ai-assistant', 'llm', 'chatbot'],
});

/** Channel a click id proves on its own. fbclid is absent on purpose: Meta adds it to organic shares too. */
export interface ClickIdRule {
  readonly key: string;
  readonly channel: 'paid_search' | 'paid_social' | 'display' | 'affiliate' | 'email';
  readonly source: string;
}

/** Checked in this order, so a search click id wins over a social one when a URL carries both. */
export const CLICK_ID_TABLE: readonly ClickIdRule[] = Object.freeze([
  { key: 'gclid', channel: 'paid_search', source: 'google' },
  { key: 'gbraid', channel: 'paid_search', source: 'google' },
  { key: 'wbraid', channel: 'paid_search', source: 'google' },
  { key: 'gad_source', channel: 'paid_search', source: 'google' },
  { key: 'msclkid', channel: 'paid_search', source: 'bing' },
  { key: 'yclid', channel: 'paid_search', source: 'yandex' },
  { key: 'dclid', channel: 'display', source: 'google' },
  { key: 'ttclid', channel: 'paid_social', source: 'tiktok' },
  { key: 'twclid', channel: 'paid_social', source: 'x' },
  { key: 'li_fat_id', channel: 'paid_social', source: 'linkedin' },
  { key: 'epik', channel: 'paid_social', source: 'pinterest' },
  { key: 'sccid', channel: 'paid_social', source: 'snapchat' },
  { key: 'rdt_cid', channel: 'paid_social', source: 'reddit' },
  { key: 'irclickid', channel: 'affiliate', source: 'impact' },
  { key: 'mc_cid', channel: 'email', source: 'mailchimp' },
  { key: '_kx', channel: 'email', source: 'klaviyo' },
] as const);

/** Host prefixes that name the same site: `l.`/`lm.` are Facebook's and Instagram's link shims. */
export const IGNORED_HOST_PREFIXES: readonly string[] = Object.freeze(['www', 'm', 'l', 'lm']);

/**
 * Second-level labels that, under a two-letter country code, form a public suffix (co.uk,
 * com.au, co.jp, com.br, ne.jp). Enough for the hosts above and for the own-host guard; not a
 * replacement for the Public Suffix List.
 */
export const GENERIC_SECOND_LEVEL_LABELS: readonly string[] = Object.freeze([
  'ac',
  'co',
  'com',
  'edu',
  'go',
  'gob',
  'gov',
  'gv',
  'ltd',
  'me',
  'mil',
  'ne',
  'net',
  'nom',
  'or',
  'org',
  'plc',
  'sch',
]);
