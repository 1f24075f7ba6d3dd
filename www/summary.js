// The summary: the methods run on this page side by side, from the page's own
// records, and a strategy race on NAS-Bench-201 whose cells are looked up in
// the bundled table, in this page, instead of being trained.
import { loadNb201Table } from './nb201.js';
import { raceRequest } from './state.js';
import {
  afterPaint, element, formatAccuracy, formatMs, formatSeconds, messageOf, messageRow, Notice,
} from './ui.js';

/** The methods' names in the table, in the order they are listed. */
const METHOD_NAMES = {
  random: 'Random search',
  evolution: 'Evolution (generational)',
  regularized: 'Regularized evolution',
  predictor: 'Predictor-based search',
  darts: 'DARTS (retrained cell)',
};

/** The race's strategies, by the engine's names. */
const STRATEGY_NAMES = { random: 'Random search', regularized: 'Regularized evolution' };

/** Settings whose change reruns a race already shown. */
const RACE_KEYS = ['seed', 'race_seeds', 'race_queries', 'race_pop', 'race_sample'];

/**
 * One row per method among `records` (see results.js): the known methods
 * in the order of `METHOD_NAMES`, any other after them in order of first
 * record. Each row is `{ method, evaluations, failed, best, trainMs, timed }`:
 * `best` is the most accurate successful record (the first among equals)
 * or null, `trainMs` the sum of the records' `train_ms` (NaN when none has
 * one) and `timed` how many records had one.
 */
export function methodRows(records) {
  const rows = new Map();
  for (const record of records) {
    if (!rows.has(record.method)) {
      rows.set(record.method, {
        method: record.method, evaluations: 0, failed: 0, best: null, trainMs: 0, timed: 0,
      });
    }
    const row = rows.get(record.method);
    row.evaluations += 1;
    if (record.status !== 'ok' || !Number.isFinite(record.accuracy)) {
      row.failed += 1;
    } else if (row.best === null || record.accuracy > row.best.accuracy) {
      row.best = record;
    }
    if (Number.isFinite(record.train_ms)) {
      row.trainMs += record.train_ms;
      row.timed += 1;
    }
  }
  const order = Object.keys(METHOD_NAMES);
  const rank = (method) => (order.includes(method) ? order.indexOf(method) : order.length);
  return [...rows.values()]
    .map((row) => (row.timed === 0 ? { ...row, trainMs: NaN } : row))
    .sort((a, b) => rank(a.method) - rank(b.method));
}

/** "1 network" or "3 networks". */
function count(n, noun, plural = `${noun}s`) {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** What `row`'s method cost on this page, in one measured sentence. */
function costSentence(row) {
  const name = METHOD_NAMES[row.method] ?? row.method;
  const failed = row.failed > 0 ? ` (${row.failed} failed)` : '';
  const time = row.timed === 0
    ? 'its records carry no time'
    : `${formatSeconds(row.trainMs)} s of training and scoring` +
      (row.timed < row.evaluations ? ` for the ${row.timed} timed` : '') +
      `, ${formatSeconds(row.trainMs / row.timed)} s each`;
  if (row.method === 'darts') {
    return `${name}: ${count(row.evaluations, 'search')}, each training one supernet in which ` +
      `every edge runs every enabled operation, then retraining the derived cell from ` +
      `scratch${failed}; ${time}.`;
  }
  const guesses = row.method === 'predictor'
    ? ', the only ones of its rounds\' pools trained (the rest were guessed by the predictor, ' +
      'whose fitting is not counted here)'
    : ', one full training per candidate';
  return `${name}: ${count(row.evaluations, 'network')} trained from scratch with the ` +
    `training budget${failed}${guesses}; ${time}.`;
}

/** An accuracy fraction as a percentage with the table's three decimals. */
function percent(fraction) {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(3)}%` : '–';
}

export class SummarySection {
  /**
   * `store` holds the settings (`seed`, `race_*`); `charts` draws; `results`
   * holds every evaluation of the page. The race waits for `setEngine`.
   */
  constructor({ store, charts, results }) {
    this.store = store;
    this.charts = charts;
    this.results = results;
    this.engine = null;
    this.wanted = false;
    this.running = false;
    this.again = false;
    this.shown = false;

    this.methodsBody = document.querySelector('#methods-table tbody');
    this.costs = document.getElementById('methods-costs');
    const bar = document.querySelector('.run-bar[data-panel="race"]');
    this.runButton = bar.querySelector('[data-action="run"]');
    this.progress = bar.querySelector('progress');
    this.status = bar.querySelector('.run-status');
    this.notice = new Notice(bar.querySelector('.notice'));
    this.raceBody = document.querySelector('#race-table tbody');
    this.caption = document.getElementById('race-caption');
    this.bestLine = document.getElementById('race-best');
    this.chart = charts.add('chart-race', 'strategy_race');

    this.runButton.addEventListener('click', () => this.requestRace());
    store.onChange((key) => {
      if (this.shown && RACE_KEYS.includes(key)) this.requestRace();
    });
    results.onChange(() => this.renderMethods());
    // The table is fetched only once the race is wanted: on view, or on Run.
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        this.requestRace();
      }
    });
    observer.observe(document.getElementById('summary'));
    this.renderMethods();
  }

  /** Sets the engine's exports; a race asked for before then starts now. */
  setEngine(engine) {
    this.engine = engine;
    this.runButton.disabled = false;
    if (this.wanted) this.requestRace();
  }

  /** Runs the race with the current settings, after the one running if any. */
  requestRace() {
    this.wanted = true;
    if (!this.engine) {
      this.status.textContent = 'Waiting for the engine to load…';
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    this.run();
  }

  async run() {
    this.running = true;
    this.runButton.disabled = true;
    this.notice.clear();
    try {
      const loadStarted = performance.now();
      const table = await loadNb201Table(this.engine, (progress) => this.showLoading(progress));
      this.tableNote ??= `table of ${table.cells.toLocaleString('en-US')} cells loaded in ` +
        `${formatSeconds(performance.now() - loadStarted)} s`;
      do {
        this.again = false;
        const request = raceRequest(this.store.values);
        this.status.dataset.state = 'racing';
        this.status.textContent =
          `Racing: ${request.seeds} seeds × ${request.queries} queries for each strategy…`;
        this.progress.value = 0.9;
        await afterPaint();
        const started = performance.now();
        const race = JSON.parse(this.engine.nb201_race(JSON.stringify(request)));
        this.showRace(race, request, performance.now() - started);
      } while (this.again);
    } catch (error) {
      this.status.dataset.state = 'error';
      this.status.textContent = 'The race did not run.';
      this.progress.value = 0;
      this.notice.show(messageOf(error));
    } finally {
      this.running = false;
      this.runButton.disabled = false;
    }
  }

  showLoading({ stage, received, total }) {
    this.status.dataset.state = 'loading';
    if (stage === 'parse') {
      this.progress.value = 0.85;
      this.status.textContent = 'Reading the NAS-Bench-201 table…';
      return;
    }
    const megabytes = (bytes) => (bytes / 1e6).toFixed(1);
    this.progress.value = total ? 0.8 * (received / total) : 0;
    this.status.textContent = `Loading the NAS-Bench-201 table: ${megabytes(received)}` +
      `${total ? ` of ${megabytes(total)}` : ''} MB…`;
  }

  /** Shows a race's curves, numbers and timing; `ms` is how long it ran. */
  showRace(race, request, ms) {
    const { optimum, strategies } = race;
    this.shown = true;
    this.charts.show(this.chart, {
      strategies: strategies.map((s) => ({
        name: STRATEGY_NAMES[s.strategy] ?? s.strategy,
        median: s.median_best,
        lower: s.lower_quartile_best,
        upper: s.upper_quartile_best,
      })),
      optimum: optimum.accuracy,
      seeds: request.seeds,
    });

    this.raceBody.replaceChildren(...strategies.map((s) => {
      const row = element('tr');
      row.dataset.strategy = s.strategy;
      row.dataset.median = String(s.median_final_best);
      for (const text of [
        STRATEGY_NAMES[s.strategy] ?? s.strategy,
        percent(s.median_final_best),
        percent(s.mean_final_best),
        `${(s.median_final_regret * 100).toFixed(3)} points`,
        `${s.found_best} of ${s.seeds.length}`,
      ]) {
        row.append(element('td', { text }));
      }
      return row;
    }));
    this.caption.textContent = `Strategy race: ${count(request.seeds, 'seed')} from seed ` +
      `${request.seed}, ${count(request.queries, 'query', 'queries')} each (evolution: ` +
      `population ${request.population}, sample ${request.sample})`;
    this.bestLine.textContent = `The table's best cell: idx ${optimum.idx}, ${optimum.cell}, ` +
      `CIFAR-10 test accuracy ${optimum.test_accuracy_percent}% (${optimum.params_m.toFixed(3)} M ` +
      `parameters; ${formatMs(optimum.raspi4_ms)} ms on a Raspberry Pi 4, ` +
      `${formatMs(optimum.pixel3_ms)} ms on a Pixel 3). Every query looks a cell up: no ` +
      'network is trained here.';

    this.progress.value = 1;
    this.status.dataset.state = 'done';
    this.status.dataset.ms = String(ms);
    this.status.textContent = `Done: ${request.seeds} seeds × ${request.queries} queries for ` +
      `each strategy in ${Math.round(ms)} ms (${this.tableNote}).`;
  }

  /** Fills the methods table and the cost lines from the page's records. */
  renderMethods() {
    const rows = methodRows(this.results.all());
    if (rows.length === 0) {
      this.methodsBody.replaceChildren(
        messageRow('Nothing run yet: run random search, evolution, DARTS or the ' +
          'predictor-based search above.', 6),
      );
      this.costs.replaceChildren();
      return;
    }
    this.methodsBody.replaceChildren(...rows.map((summary) => {
      const row = element('tr');
      row.dataset.method = summary.method;
      const { best } = summary;
      if (best) row.dataset.accuracy = String(best.accuracy);
      const evaluations = summary.failed > 0
        ? `${summary.evaluations} (${summary.failed} failed)`
        : String(summary.evaluations);
      for (const text of [
        METHOD_NAMES[summary.method] ?? summary.method,
        evaluations,
        best ? formatAccuracy(best.accuracy) : 'none succeeded',
        best ? best.label : '–',
        formatSeconds(summary.trainMs),
        best ? formatMs(best.latency_ms) : '–',
      ]) {
        row.append(element('td', { text }));
      }
      row.cells[3].className = 'arch';
      return row;
    }));
    this.costs.replaceChildren(...rows.map((row) => element('li', { text: costSentence(row) })));
  }
}
