// Section 7: which operations the best chain networks of this page use, and
// at which layers. The N most accurate distinct architectures go to two
// engine charts: op frequency (bars) and op positions (box plots).
import { checkValue, OPS } from './state.js';
import { formatAccuracy } from './ui.js';

/**
 * The distinct chain architectures among `records` (see results.js) that
 * trained, each once with its best accuracy, most accurate first (earlier
 * first on ties). Also counts the successful records that are not chains
 * (DARTS cells), which a per-layer analysis cannot use.
 */
export function rankChains(records) {
  const best = new Map();
  let others = 0;
  for (const record of records) {
    if (record.status !== 'ok' || !Number.isFinite(record.accuracy)) continue;
    if (!('value' in checkValue('arch', record.label))) {
      others += 1;
      continue;
    }
    const kept = best.get(record.label);
    if (!kept || record.accuracy > kept.accuracy) best.set(record.label, record);
  }
  const ranked = [...best.values()].sort((a, b) => b.accuracy - a.accuracy || a.index - b.index);
  return { ranked, others };
}

export class AnalysisSection {
  /** `store` holds the settings (`topn`); `charts` draws; `results` holds every evaluation. */
  constructor({ store, charts, results }) {
    this.store = store;
    this.results = results;
    this.charts = charts;
    this.frequency = charts.add('chart-op-frequency', 'op_frequency');
    this.positions = charts.add('chart-op-positions', 'op_positions');
    this.status = document.getElementById('analysis-status');

    store.onChange((key) => {
      if (key === 'topn') this.render();
    });
    results.onChange(() => this.render());
    this.render();
  }

  render() {
    const { ranked, others } = rankChains(this.results.all());
    const asked = this.store.values.topn;
    const n = Math.min(asked, ranked.length);
    const top = ranked.slice(0, n);
    const data = { ops: [...OPS], architectures: top.map((record) => record.label.split(',')) };
    this.charts.show(this.frequency, data);
    this.charts.show(this.positions, data);

    this.status.dataset.n = String(n);
    if (n === 0) {
      this.status.textContent = 'No chain networks trained yet: run random search or evolution above.';
      return;
    }
    const layers = data.architectures.reduce((sum, ops) => sum + ops.length, 0);
    const range = n === 1
      ? `accuracy ${formatAccuracy(top[0].accuracy)}`
      : `accuracy ${formatAccuracy(top[n - 1].accuracy)} to ${formatAccuracy(top[0].accuracy)}`;
    const parts = [
      `N = ${n}: the ${n === 1 ? 'most accurate' : `${n} most accurate`} of ` +
        `${ranked.length} distinct chain network${ranked.length === 1 ? '' : 's'} ` +
        `trained on this page (${range}), ${layers} layers in all.`,
    ];
    if (asked > n) {
      parts.push(`You asked for the top ${asked}, but only ${ranked.length} have been trained.`);
    }
    if (others > 0) {
      parts.push(`${others} network${others === 1 ? ' is' : 's are'} not a chain (DARTS cells) ` +
        'and left out.');
    }
    this.status.textContent = parts.join(' ');
  }
}
