/**
 * TeX in titles, as clean text: `$3x^2 + 2x + 1$` becomes `3x² + 2x + 1`. Plots show titles as text
 * (SVG, PNG), so the math between `$…$` is turned into Unicode: superscripts and subscripts, Greek
 * letters, common operators, `\frac{a}{b}` as a/b and `\sqrt{x}` as √x. Markup never shows.
 */

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
  '+': '⁺', '-': '⁻', '−': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', 'n': 'ⁿ', 'i': 'ⁱ', 'x': 'ˣ', 'y': 'ʸ',
  'a': 'ᵃ', 'b': 'ᵇ', 'c': 'ᶜ', 'd': 'ᵈ', 'e': 'ᵉ', 'k': 'ᵏ', 'm': 'ᵐ', 'T': 'ᵀ',
};

const SUBSCRIPT: Record<string, string> = {
  '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉',
  '+': '₊', '-': '₋', '−': '₋', '=': '₌', '(': '₍', ')': '₎', 'a': 'ₐ', 'e': 'ₑ', 'i': 'ᵢ', 'j': 'ⱼ',
  'k': 'ₖ', 'm': 'ₘ', 'n': 'ₙ', 'o': 'ₒ', 'x': 'ₓ', 't': 'ₜ',
};

const SYMBOLS: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ',
  sigma: 'σ', tau: 'τ', upsilon: 'υ', phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  cdot: '·', times: '×', div: '÷', pm: '±', mp: '∓', le: '≤', leq: '≤', ge: '≥', geq: '≥', ne: '≠', neq: '≠',
  approx: '≈', sim: '∼', infty: '∞', partial: '∂', nabla: '∇', sum: 'Σ', prod: 'Π', int: '∫',
  to: '→', rightarrow: '→', leftarrow: '←', in: '∈', ldots: '…', cdots: '⋯', dots: '…',
  max: 'max', min: 'min', log: 'log', exp: 'exp', sin: 'sin', cos: 'cos', tan: 'tan', ln: 'ln',
  quad: ' ', qquad: '  ', ',': ' ', ';': ' ', ' ': ' ', '!': '', '{': '{', '}': '}', '%': '%', '$': '$', '_': '_',
};

/** Accents, as combining characters (\hat y → ŷ). */
const ACCENTS: Record<string, string> = { hat: '\u0302', bar: '\u0304', overline: '\u0305', tilde: '\u0303', dot: '\u0307', ddot: '\u0308', vec: '\u20d7' };

const BIG_OPERATORS = new Set(['sum', 'prod', 'int']);

/** Reads one argument: `{…}` (balanced) or a single character / command at `i`. */
function readArg(s: string, i: number): { text: string; end: number } {
  while (s[i] === ' ') i++;
  if (s[i] === '{') {
    let depth = 1;
    let j = i + 1;
    while (j < s.length && depth > 0) {
      if (s[j] === '\\') j++;
      else if (s[j] === '{') depth++;
      else if (s[j] === '}') depth--;
      j++;
    }
    return { text: s.slice(i + 1, j - 1), end: j };
  }
  if (s[i] === '\\') {
    const m = /^\\([A-Za-z]+|.)/.exec(s.slice(i));
    if (m) return { text: m[0], end: i + m[0].length };
  }
  return { text: s[i] ?? '', end: i + 1 };
}

/** Raises or lowers text with Unicode, or writes ^(…) / _(…) when a character has no form. */
function shift(text: string, table: Record<string, string>, mark: '^' | '_'): string {
  const chars = [...text];
  if (chars.every((c) => table[c] !== undefined)) return chars.map((c) => table[c]).join('');
  return chars.length === 1 ? `${mark}${text}` : `${mark}(${text})`;
}

/** Turns the math of one `$…$` into text. */
export function mathToText(math: string): string {
  let out = '';
  let i = 0;
  while (i < math.length) {
    const ch = math[i]!;
    if (ch === '^' || ch === '_') {
      const arg = readArg(math, i + 1);
      out += shift(mathToText(arg.text), ch === '^' ? SUPERSCRIPT : SUBSCRIPT, ch);
      i = arg.end;
    } else if (ch === '\\') {
      const m = /^\\([A-Za-z]+|.)/.exec(math.slice(i));
      const name = m ? m[1]! : '';
      i += m ? m[0].length : 1;
      if (name === 'frac' || name === 'dfrac' || name === 'tfrac') {
        const num = readArg(math, i);
        const den = readArg(math, num.end);
        const wrap = (t: string) => (/^[\w.]+$/u.test(t) ? t : `(${t})`);
        out += `${wrap(mathToText(num.text))}/${wrap(mathToText(den.text))}`;
        i = den.end;
      } else if (name === 'sqrt') {
        const arg = readArg(math, i);
        const inner = mathToText(arg.text);
        out += [...inner].length === 1 ? `√${inner}` : `√(${inner})`;
        i = arg.end;
      } else if (['mathrm', 'text', 'mathbf', 'mathit', 'textrm', 'operatorname', 'mathcal', 'boldsymbol'].includes(name)) {
        const arg = readArg(math, i);
        out += mathToText(arg.text);
        i = arg.end;
      } else if (ACCENTS[name] !== undefined) {
        const arg = readArg(math, i);
        out += [...mathToText(arg.text)].map((c) => c + ACCENTS[name]).join('');
        i = arg.end;
      } else if (BIG_OPERATORS.has(name)) {
        if (out !== '' && !/[\s(]$/.test(out)) out += ' ';
        out += SYMBOLS[name];
      } else if (name === 'left' || name === 'right' || name === 'big' || name === 'Big') {
        // sizing commands: keep the delimiter that follows
      } else out += SYMBOLS[name] ?? name;
    } else if (ch === '{' || ch === '}') i++;
    else if (ch === '*') {
      out += '·';
      i++;
    } else {
      out += ch === '-' ? '−' : ch;
      i++;
    }
  }
  return out.replace(/ {2,}/g, ' ').normalize('NFC');
}

/** A title with `$…$` math (and `\$` for a dollar sign) as clean text; other text is kept as is. */
export function texToText(title: string): string {
  let out = '';
  let i = 0;
  while (i < title.length) {
    if (title.startsWith('\\$', i)) {
      out += '$';
      i += 2;
    } else if (title.startsWith('$$', i) || title[i] === '$') {
      const delim = title.startsWith('$$', i) ? '$$' : '$';
      const close = title.indexOf(delim, i + delim.length);
      if (close < 0) {
        out += title.slice(i);
        break;
      }
      out += mathToText(title.slice(i + delim.length, close));
      i = close + delim.length;
    } else out += title[i++];
  }
  return out;
}
