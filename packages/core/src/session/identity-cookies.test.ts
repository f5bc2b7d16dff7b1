// readIdentityJar: the shared empty collections of jars without such cookies cannot carry anything between requests.
import { describe, expect, it } from 'vitest';
import { readIdentityJar } from './identity-cookies.js';

describe('readIdentityJar', () => {
  it('gives jars without owners, minted ids or sent aliases empty collections that refuse changes', () => {
    for (const header of [undefined, '', 'tl_vid=0190f7c2-0000-7000-8000-000000000001; tl_s1=-; tl_act=1']) {
      const jar = readIdentityJar(header, 'tl_');
      const owners = jar.owners as Map<number, string>;
      const minted = jar.minted as Map<string, string>;
      const aliased = jar.aliased as Set<string>;
      expect(() => owners.set(1, 'x')).toThrow(TypeError);
      expect(() => minted.set('a', 'b')).toThrow(TypeError);
      expect(() => aliased.add('a_b')).toThrow(TypeError);
      expect([owners.size, minted.size, aliased.size]).toEqual([0, 0, 0]);
      expect(readIdentityJar(header, 'tl_').owners.size).toBe(0);
    }
  });

  it('still reads every cookie it finds', () => {
    const jar = readIdentityJar(
      'tl_vid=0190f7c2-0000-7000-8000-000000000001; tl_s2=-.abc; tl_s1=-; tl_act=2; ' +
        'tl_mq1=0190f7c2-0000-7000-8000-000000000002; tl_xq1_abc=1',
      'tl_',
    );
    expect([...jar.numbers]).toEqual([
      [2, '-'],
      [1, '-'],
    ]);
    expect([...jar.owners]).toEqual([[2, 'abc']]);
    expect([...jar.minted]).toEqual([['0190f7c2-0000-7000-8000-000000000002', 'q1']]);
    expect([...jar.aliased]).toEqual(['q1_abc']);
    expect(jar.active).toBe(2);
  });
});
