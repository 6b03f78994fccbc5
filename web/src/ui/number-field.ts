// A labelled number field with unit, range hint, optional slider, an inline error for text that is
// not a number (never read as 0) and an "outside the operating box" warning.
import { formatNumber, parseNumber, type NumberRules } from '../parse.ts';
import { el } from './dom.ts';

export interface NumberFieldOptions {
  id: string;
  label: string;
  unit?: string;
  value: number;
  rules?: NumberRules;
  /** Operating range: shown as a hint, drives the slider and the out-of-range warning. */
  range?: [number, number];
  slider?: boolean;
  /** Extra classes on the root. */
  className?: string;
  /** Value returned for an empty field (e.g. ±Infinity for "no bound"); without it empty is an error. */
  emptyValue?: number;
  /** Called on every edit (typing or slider), also when the text is invalid; read() tells which. */
  onInput?: () => void;
}

export interface NumberField {
  readonly root: HTMLElement;
  readonly input: HTMLInputElement;
  /** The parsed value, or null (and the inline error shown) when the text is not acceptable. */
  read(): number | null;
  set(value: number): void;
  setRange(range: [number, number] | undefined): void;
}

/** Slider resolution: steps across the operating range. */
const SLIDER_STEPS = 200;

export function createNumberField(options: NumberFieldOptions): NumberField {
  const { id } = options;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const input = el('input', {
    id,
    type: 'text',
    inputmode: 'decimal',
    autocomplete: 'off',
    spellcheck: 'false',
    class: 'number-input',
    'aria-describedby': `${hintId} ${errorId}`,
  });
  input.value = Number.isFinite(options.value) ? formatNumber(options.value, 6) : '';
  const hint = el('span', { id: hintId, class: 'field-hint' });
  const error = el('span', { id: errorId, class: 'field-error', 'aria-live': 'polite' });
  const label = el('label', { for: id, class: 'field-label' }, [
    options.label,
    options.unit ? el('span', { class: 'unit' }, [` [${options.unit}]`]) : null,
  ]);
  const slider = options.slider
    ? el('input', { id: `${id}-slider`, type: 'range', class: 'slider', 'aria-label': `${options.label} slider` })
    : null;
  const root = el('div', { class: `field ${options.className ?? ''}`.trim() }, [
    label,
    el('div', { class: 'field-row' }, [input, slider]),
    hint,
    error,
  ]);
  let range = options.range;

  const showError = (message: string) => {
    error.textContent = message;
    input.setAttribute('aria-invalid', 'true');
    root.classList.add('invalid');
  };
  const clearError = () => {
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    root.classList.remove('invalid');
  };
  const updateRangeFlag = (value: number | null) => {
    const outside = value !== null && range !== undefined && (value < range[0] || value > range[1]);
    root.classList.toggle('out-of-range', outside);
    hint.textContent = range ? `range ${formatNumber(range[0])} … ${formatNumber(range[1])}${outside ? ' — outside the operating box' : ''}` : '';
  };
  const syncSlider = (value: number) => {
    if (!slider || !range) return;
    slider.value = String(Math.min(range[1], Math.max(range[0], value)));
  };
  const configureSlider = () => {
    if (!slider) return;
    slider.hidden = !range;
    if (!range) return;
    slider.min = String(range[0]);
    slider.max = String(range[1]);
    slider.step = String((range[1] - range[0]) / SLIDER_STEPS || 'any');
  };

  const read = (): number | null => {
    if (options.emptyValue !== undefined && input.value.trim() === '') {
      clearError();
      updateRangeFlag(null);
      return options.emptyValue;
    }
    const parsed = parseNumber(input.value, options.rules);
    if (!parsed.ok) {
      showError(parsed.error);
      updateRangeFlag(null);
      return null;
    }
    clearError();
    updateRangeFlag(parsed.value);
    return parsed.value;
  };

  // Every edit is reported, valid or not: the owner re-reads its fields and marks stale results.
  input.addEventListener('input', () => {
    const value = read();
    if (value !== null) syncSlider(value);
    options.onInput?.();
  });
  slider?.addEventListener('input', () => {
    input.value = formatNumber(Number(slider.value), 6);
    read();
    options.onInput?.();
  });

  configureSlider();
  syncSlider(options.value);
  updateRangeFlag(options.value);

  return {
    root,
    input,
    read,
    set(value: number) {
      input.value = Number.isFinite(value) ? formatNumber(value, 6) : '';
      clearError();
      syncSlider(value);
      updateRangeFlag(value);
    },
    setRange(next) {
      range = next;
      configureSlider();
      read();
    },
  };
}
