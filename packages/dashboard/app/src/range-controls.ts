// The date range control: a preset picker, plus from/to day inputs when "Custom…" is chosen.
import { customRange, dayOf, presetRange, PRESETS, type DateRange, type Preset } from './date-range.js';
import { h, replaceChildren } from './dom.js';

/** Renders into `box`; calls `onChange` with each new complete range (a half-filled custom range waits). */
export function rangeControls(box: HTMLElement, initial: DateRange, onChange: (range: DateRange) => void): void {
  let current = initial;
  const render = (): void => {
    const preset = h(
      'select',
      { id: 'range', 'aria-label': 'Date range' },
      ...PRESETS.map((p) => h('option', { value: p.value, selected: p.value === current.preset }, p.label)),
    );
    preset.addEventListener('change', () => {
      const value = preset.value as Preset;
      if (value === 'custom') {
        current = { ...current, preset: 'custom' };
        render();
        return;
      }
      current = presetRange(value, Date.now());
      render();
      onChange(current);
    });
    if (current.preset !== 'custom') {
      replaceChildren(box, preset);
      return;
    }
    const from = h('input', { type: 'date', id: 'range-from', 'aria-label': 'From', value: dayOf(current.from) });
    const to = h('input', { type: 'date', id: 'range-to', 'aria-label': 'To', value: dayOf(current.to - 1) });
    const apply = (): void => {
      const range = customRange(from.value, to.value);
      if (range === null) return;
      current = range;
      onChange(current);
    };
    from.addEventListener('change', apply);
    to.addEventListener('change', apply);
    replaceChildren(box, preset, from, to);
  };
  render();
}
