// Sliders and number fields that refuse what is not a number or is out of range, saying so on the
// page, and a panel's list of messages.

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Reads a field's text: { value } when it is a number in range, else { error } saying what is wanted. */
export function parseNumber(text, { name, min, max, integer = false, minExclusive = false }) {
  const t = String(text).trim().replace(/^−/, '-');
  const kind = integer ? 'a whole number' : 'a number';
  const range = minExclusive ? `greater than ${min} and at most ${max}` : `from ${min} to ${max}`;
  const want = `${name} must be ${kind} ${range}`;
  if (t === '') return { error: `${want}; the field is empty.` };
  if (!NUMBER.test(t)) return { error: `${want}; “${t.length > 20 ? t.slice(0, 20) + '…' : t}” is not a number.` };
  const v = Number(t);
  if (!Number.isFinite(v)) return { error: `${want}; ${t} is too large.` };
  if (integer && !Number.isInteger(v)) return { error: `${want}; ${t} is not whole.` };
  if ((minExclusive ? v <= min : v < min) || v > max) return { error: `${want}; ${t} is out of range.` };
  return { value: v };
}

/** The messages a panel shows, one per source (a field, the server, the run). */
export class Messages {
  constructor(el) {
    this.el = el;
    this.items = new Map();
  }
  set(key, text, kind = 'error') {
    this.items.set(key, { text, kind });
    this.render();
  }
  clear(key) {
    if (this.items.delete(key)) this.render();
  }
  has(key) {
    return this.items.has(key);
  }
  get errors() {
    return [...this.items.values()].filter((m) => m.kind === 'error').length;
  }
  render() {
    const list = [...this.items.values()];
    this.el.textContent = list.map((m) => m.text).join('\n');
    this.el.classList.toggle('info', list.length > 0 && list.every((m) => m.kind !== 'error'));
  }
}

function markInvalid(input, bad) {
  if (bad) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

/** A text field for one number, checked as it is typed. `onValue` gets each valid value. */
export class NumberField {
  constructor(input, spec, messages, onValue = () => {}) {
    this.input = input;
    this.spec = spec;
    this.messages = messages;
    this.key = input.id;
    this.onValue = onValue;
    input.addEventListener('input', () => this.check());
    input.addEventListener('change', () => this.check());
  }
  /** The current value, or null (with the message shown) when the text is not acceptable. */
  check() {
    const r = parseNumber(this.input.value, this.spec);
    markInvalid(this.input, r.error !== undefined);
    if (r.error !== undefined) {
      this.messages.set(this.key, r.error);
      return null;
    }
    this.messages.clear(this.key);
    this.onValue(r.value);
    return r.value;
  }
  set(v) {
    this.input.value = String(v);
    this.check();
  }
}

/** A parameter: a slider and a text field showing the same value; `onChange` gets each new value. */
export class ParamControl {
  constructor(container, { id, name, min, max, step = 0.01, value }, messages, onChange) {
    this.name = name;
    this.min = min;
    this.max = max;
    this.messages = messages;
    this.onChange = onChange;
    this.current = value;
    const row = document.createElement('div');
    row.className = 'param';
    row.innerHTML = `<label for="${id}-range">${name}</label>
      <input type="range" id="${id}-range" min="${min}" max="${max}" step="${step}" aria-label="${name} slider">
      <input type="text" id="${id}" inputmode="decimal" aria-label="${name}">`;
    container.appendChild(row);
    this.range = row.querySelector(`#${id}-range`);
    this.text = row.querySelector(`#${id}`);
    this.key = id;
    this.range.addEventListener('input', () => this.fromSlider());
    this.text.addEventListener('input', () => this.fromText(false));
    this.text.addEventListener('change', () => this.fromText(true));
    this.show(value);
  }

  fromSlider() {
    const r = parseNumber(this.range.value, { name: this.name, min: this.min, max: this.max });
    if (r.error !== undefined) {
      this.messages.set(this.key, r.error);
      return;
    }
    this.messages.clear(this.key);
    markInvalid(this.text, false);
    this.current = r.value;
    this.text.value = String(r.value);
    this.onChange(r.value);
  }

  fromText(final) {
    const r = parseNumber(this.text.value, { name: this.name, min: this.min, max: this.max });
    markInvalid(this.text, r.error !== undefined);
    if (r.error !== undefined) {
      // While typing, a lone '-' or '.' is on its way to a number: say so only when the field is left.
      if (final || !/^[-+.]?$/.test(this.text.value.trim())) this.messages.set(this.key, r.error);
      return;
    }
    this.messages.clear(this.key);
    this.current = r.value;
    this.range.value = String(r.value);
    this.onChange(r.value);
  }

  get valid() {
    return !this.messages.has(this.key);
  }

  get value() {
    return this.current;
  }

  /** Shows a value computed elsewhere (a gradient step); the slider stops at its ends. */
  show(v) {
    this.current = v;
    this.range.value = String(Math.min(this.max, Math.max(this.min, v)));
    this.text.value = String(+v.toFixed(4));
    markInvalid(this.text, false);
    this.messages.clear(this.key);
  }
}
