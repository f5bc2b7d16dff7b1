// The alias item's validation: what it refuses, and that each refusal names the field.
import { describe, expect, it } from 'vitest';
import { zodProblems } from '../errors/zod-problems.js';
import { itemSchema } from './wire-schemas.js';

const A = '0190f7c2-0000-7000-8000-0000000000a1';
const B = '0190f7c2-0000-7000-8000-0000000000b2';
const alias = {
  type: 'alias',
  id: '0190f7c2-0000-7000-8000-000000000001',
  timestamp: '2026-11-23T13:00:00.000Z',
  context: null,
  visitor_id: A,
  session_id: '0190f7c2-0000-7000-8000-0000000000a2',
  previous_id: B,
  previous_session_id: '0190f7c2-0000-7000-8000-0000000000b3',
};
const problems = (item: Record<string, unknown>): string[] => {
  const parsed = itemSchema.safeParse(item);
  return parsed.success ? [] : zodProblems(parsed.error).map((p) => `${p.path}: ${p.message}`);
};

describe('alias items (DESIGN.md L10)', () => {
  it('accepts a ghost and its first session joining a visitor and its session, or the visitor alone', () => {
    expect(problems(alias)).toEqual([]);
    expect(problems({ ...alias, session_id: null, previous_session_id: null })).toEqual([]);
  });

  it('refuses a visitor aliased to itself, whatever the case of its hex digits', () => {
    expect(problems({ ...alias, previous_id: A.toUpperCase() })).toEqual([
      'previous_id: must differ from visitor_id (a visitor cannot be its own alias)',
    ]);
  });

  it('refuses a ghost session with nowhere to go, and names malformed ids', () => {
    expect(problems({ ...alias, session_id: null })).toEqual([
      expect.stringMatching(/^session_id: must be set when previous_session_id is/),
    ]);
    expect(problems({ ...alias, previous_id: 'nope' })).toEqual(['previous_id: must be a UUID']);
    expect(problems({ ...alias, previous_session_id: undefined })).toEqual([
      expect.stringMatching(/^previous_session_id: /),
    ]);
  });
});
