// The auth gate: one probe at a time while 401/403 last; any acknowledgement or the probe's recovery ends it.
import { describe, expect, it } from 'vitest';
import { createAuthGate } from './auth-gate.js';

describe('createAuthGate', () => {
  it('makes the first failing batch the probe and parks the others', () => {
    let recovered = 0;
    const gate = createAuthGate<string>(() => {
      recovered += 1;
    });
    expect(gate.failed('a')).toEqual({ role: 'probe', episodeStarted: true });
    expect(gate.failed('b')).toEqual({ role: 'park', episodeStarted: false });
    expect(gate.failed('a')).toEqual({ role: 'probe', episodeStarted: false });
    expect(gate.mustWait('b')).toBe(true);
    expect(gate.mustWait('a')).toBe(false);
    expect(gate.answered('b', false)).toBe(false);
    expect(gate.blocked).toBe(true);
    expect(gate.answered('a', false)).toBe(true);
    expect(gate.blocked).toBe(false);
    expect(recovered).toBe(1);
  });

  it('ends the episode when any batch is acknowledged', () => {
    const gate = createAuthGate<string>(() => undefined);
    gate.failed('a');
    expect(gate.answered('b', true)).toBe(true);
    expect(gate.mustWait('b')).toBe(false);
  });
});
