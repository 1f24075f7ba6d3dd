// Small DOM helpers shared by the sections: notices, number formats and the
// results tables. Text is always set with textContent, never parsed as HTML.

const integerFormat = new Intl.NumberFormat('en-US');

/** 36298 → "36,298". */
export function formatInteger(value) {
  return integerFormat.format(value);
}

/** 1234567 → "1.23 M": three significant digits with a unit. */
export function formatCount(value) {
  const units = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [size, unit] of units) {
    if (Math.abs(value) >= size) return `${(value / size).toPrecision(3)} ${unit}`;
  }
  return String(value);
}

/** Accuracy as a fraction with three decimals, "0.912". */
export function formatAccuracy(value) {
  return Number.isFinite(value) ? value.toFixed(3) : '–';
}

/** A predictor's guess as "0.912 ± 0.020", or "–" for none (a random first candidate). */
export function formatGuess(guess) {
  return guess ? `${formatAccuracy(guess.mean)} ± ${formatAccuracy(guess.spread)}` : '–';
}

/** A zero-cost score with three significant digits, or "–" for none. */
export function formatScore(value) {
  return Number.isFinite(value) ? value.toPrecision(3) : '–';
}

/** Milliseconds with two decimals. */
export function formatMs(value) {
  return Number.isFinite(value) ? value.toFixed(2) : '–';
}

/** Milliseconds as seconds with one decimal. */
export function formatSeconds(ms) {
  return Number.isFinite(ms) ? (ms / 1000).toFixed(1) : '–';
}

/** The message of anything thrown: an Error's message, or the value as text. */
export function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A visible notice (role="alert") in `element`, tied to `control` with
 * aria-describedby so assistive technology reads it with the control.
 */
export class Notice {
  constructor(element, control = null) {
    this.element = element;
    this.control = control;
    if (control) {
      element.id = `notice-${control.id}`;
      control.setAttribute('aria-describedby', element.id);
    }
  }

  /** A new, hidden notice placed right after `anchor`. */
  static after(anchor, control = null) {
    const element = document.createElement('p');
    element.className = 'notice';
    element.setAttribute('role', 'alert');
    element.hidden = true;
    anchor.after(element);
    return new Notice(element, control);
  }

  /** Shows `message`, marking the control invalid. */
  show(message) {
    this.element.textContent = message;
    this.element.hidden = false;
    this.control?.setAttribute('aria-invalid', 'true');
  }

  /** Hides the notice and clears the control's invalid mark. */
  clear() {
    this.element.textContent = '';
    this.element.hidden = true;
    this.control?.removeAttribute('aria-invalid');
  }
}

/** Creates an element with a class and text content. */
export function element(tag, { className = '', text = '' } = {}) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== '') node.textContent = text;
  return node;
}

/** A table row of one cell spanning `columns` columns that says `text`. */
export function messageRow(text, columns) {
  const row = element('tr');
  const cell = element('td', { text });
  cell.colSpan = columns;
  row.append(cell);
  return row;
}

/** Successful evaluations by accuracy (best first), then failed ones in order. */
export function rankEvaluations(evaluations) {
  const ok = evaluations.filter((evaluation) => evaluation.status === 'ok');
  const failed = evaluations.filter((evaluation) => evaluation.status !== 'ok');
  ok.sort((a, b) => b.accuracy - a.accuracy || a.index - b.index);
  return [...ok, ...failed];
}

/**
 * Fills a results table body with `evaluations`, ranked. With
 * `withGeneration` a generation column follows the rank; with `withGuess`
 * the predictor's guess (± its spread) and the zero-cost score follow the
 * accuracy. Failed candidates
 * show their reason in place of the numbers. Each row carries its
 * evaluation's `index`; a restored one (read back from a saved run, not
 * trained by this run) says so in place of its train time.
 */
export function renderResults(tbody, evaluations, { withGeneration = false, withGuess = false } = {}) {
  const rows = rankEvaluations(evaluations).map((evaluation, position) => {
    const row = document.createElement('tr');
    const failed = evaluation.status !== 'ok';
    row.dataset.status = evaluation.status;
    row.dataset.index = String(evaluation.index);
    if (evaluation.restored) row.dataset.restored = 'true';
    const cells = [failed ? '–' : String(position + 1)];
    if (withGeneration) cells.push(String(evaluation.generation ?? '–'));
    cells.push(evaluation.arch);
    for (const text of cells) row.append(element('td', { text }));
    row.cells[cells.length - 1].className = 'arch';

    if (failed) {
      const reason = element('td', { className: 'reason', text: `Failed: ${evaluation.reason}` });
      reason.colSpan = withGuess ? 6 : 4;
      row.append(reason);
      return row;
    }
    row.dataset.accuracy = String(evaluation.accuracy);
    const guessCells = withGuess ? [formatGuess(evaluation.guess), formatScore(evaluation.zero_cost)] : [];
    for (const text of [
      formatAccuracy(evaluation.accuracy),
      ...guessCells,
      formatInteger(evaluation.params),
      formatMs(evaluation.latency_ms),
    ]) {
      row.append(element('td', { text }));
    }
    const trainTime = element('td', {
      text: evaluation.cached ? 'cached' : formatSeconds(evaluation.train_ms),
    });
    if (evaluation.cached) {
      trainTime.title = 'Trained earlier in this search: its result is reused, not trained again';
    } else if (evaluation.restored) {
      trainTime.textContent = `${formatSeconds(evaluation.train_ms)} restored`;
      trainTime.title = 'Trained before the page was reloaded; read back from this browser, not trained again';
    }
    row.append(trainTime);
    return row;
  });
  tbody.replaceChildren(...rows);
}

/** Keeps `control` disabled exactly while `source` is (a prompt's Resume follows its Run). */
export function followDisabled(control, source) {
  const follow = () => {
    control.disabled = source.disabled;
  };
  new MutationObserver(follow).observe(source, { attributeFilter: ['disabled'] });
  follow();
}

/** Resolves after the browser has painted, so a status line shows before blocking work. */
export function afterPaint() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}
