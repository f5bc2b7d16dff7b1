// The builder's normalisation, set/sum semantics, fallbacks and contract errors, case by case.
import { describe, expect, it } from 'vitest';
import { ChannelIndex } from './channel-index.js';
import { CreditTableBuilder } from './credit-table-builder.js';
import { closeRecord, creditsOf, journey } from './test-support/journeys.js';

type Step = readonly ['add' | 'include', string, number];

describe('CreditTableBuilder', () => {
  it.each<{ name: string; steps: readonly Step[]; expected: Record<string, number> }>([
    {
      name: 'normalises weights',
      steps: [
        ['add', 'a', 3],
        ['add', 'b', 1],
      ],
      expected: { a: 0.75, b: 0.25 },
    },
    {
      name: 'add sums repeats',
      steps: [
        ['add', 'a', 1],
        ['add', 'b', 1],
        ['add', 'a', 1],
      ],
      expected: { a: 2 / 3, b: 1 / 3 },
    },
    {
      name: 'include keeps the first weight',
      steps: [
        ['include', 'a', 1],
        ['include', 'b', 1],
        ['include', 'a', 1],
      ],
      expected: { a: 0.5, b: 0.5 },
    },
    {
      name: 'zero-weight channels are left out',
      steps: [
        ['add', 'a', 0],
        ['add', 'b', 2],
      ],
      expected: { b: 1 },
    },
    {
      name: 'all-zero weights split equally',
      steps: [
        ['include', 'a', 0],
        ['include', 'b', 0],
      ],
      expected: { a: 0.5, b: 0.5 },
    },
    {
      name: 'more channels than the initial two-per-conversion capacity',
      steps: [
        ['add', 'a', 1],
        ['add', 'b', 1],
        ['add', 'c', 1],
        ['add', 'd', 1],
        ['add', 'e', 1],
      ],
      expected: { a: 0.2, b: 0.2, c: 0.2, d: 0.2, e: 0.2 },
    },
  ])('$name', ({ steps, expected }) => {
    const index = new ChannelIndex();
    const builder = new CreditTableBuilder([journey('c1', 'a>b>c>d>e', 50)], index);
    for (const [verb, channel, weight] of steps) builder[verb](index.idOf(channel), weight);
    builder.end();
    const result = builder.finish('linear');
    expect(closeRecord(creditsOf(result), expected)).toBe(true);
    const revenue = result.channels.reduce((sum, c) => sum + c.revenue, 0);
    expect(revenue).toBeCloseTo(50, 12);
  });

  it.each([
    {
      name: 'ending a conversion that credited nothing',
      run: (b: CreditTableBuilder) => b.end(),
    },
    {
      name: 'finishing before every conversion ended',
      run: (b: CreditTableBuilder) => b.finish('linear'),
    },
    {
      name: 'reading a row that does not exist',
      run: (b: CreditTableBuilder, index: ChannelIndex) => {
        b.add(index.idOf('a'), 1);
        b.end();
        return b.finish('linear').conversions.creditsAt(1);
      },
    },
  ])('rejects $name', ({ run }) => {
    const index = new ChannelIndex();
    const builder = new CreditTableBuilder([journey('c1', 'a')], index);
    expect(() => run(builder, index)).toThrow(RangeError);
  });
});
