// Tests for the memoized bot check: same verdicts as isbot, bounded memory.
import { isbot } from 'isbot';
import { describe, expect, it } from 'vitest';
import { createBotCheck } from './bot-check.js';

const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36',
  'Googlebot/2.1 (+http://www.google.com/bot.html)',
  'curl/8.5.0',
  '',
  'Mozilla/5.0',
];

describe('createBotCheck', () => {
  it("gives isbot's verdict, first time and remembered", () => {
    const check = createBotCheck();
    for (let round = 0; round < 2; round++) {
      for (const ua of AGENTS) expect(check(ua)).toBe(isbot(ua));
    }
  });

  it('keeps answering correctly after the memo fills and starts over', () => {
    const check = createBotCheck(2);
    for (let round = 0; round < 3; round++) {
      for (const ua of AGENTS) expect(check(ua)).toBe(isbot(ua));
    }
  });
});
