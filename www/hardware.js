// Section 8: latency per op on three kinds of "device": the tutorial's two
// hand-made tables (kept, labelled illustrative), this very device measured
// op by op on the active backend, and the whole networks as measured when
// they were trained. The best networks of the page are compared across
// them, and ranked under a latency target on the chosen device.
import { rankChains } from './analysis.js';
import { loadNb201Table } from './nb201.js';
import { OPS } from './state.js';
import { element, formatAccuracy, formatMs, messageOf, messageRow, Notice } from './ui.js';

/** How many of the best networks the bar chart compares, and of the best NAS-Bench-201 cells. */
const COMPARED = 5;
/** The settings that change the latency ranking and the NAS-Bench-201 look-up. */
const RANKING_KEYS = ['hw_device', 'hw_target'];
const NB201_KEYS = ['nb_device', 'nb_target'];
/** MnasNet's exponent over the target: a network twice the target loses about 5%. */
const REWARD_EXPONENT = -0.07;

/** Image shape of each bundled dataset: what the ops are timed on. */
const SHAPES = {
  digits: { in_channels: 1, input_size: 8, classes: 10 },
  mnist: { in_channels: 1, input_size: 28, classes: 10 },
  fashion: { in_channels: 1, input_size: 28, classes: 10 },
};

/**
 * MnasNet's reward, accuracy × (latency / target)^w, with w = 0 within the
 * target and −0.07 above it, as the engine's reward selection computes it.
 */
export function latencyReward(accuracy, latency, target) {
  const ratio = latency / target;
  return accuracy * ratio ** (ratio <= 1 ? 0 : REWARD_EXPONENT);
}

export class HardwareSection {
  /** `trainer()` gives the worker bridge once it exists; `results` holds every evaluation. */
  constructor({ store, charts, results, trainer }) {
    this.store = store;
    this.charts = charts;
    this.results = results;
    this.trainer = trainer;
    this.engine = null;
    this.tables = [];
    this.measured = null;

    this.button = document.getElementById('measure-ops');
    this.status = document.getElementById('measure-status');
    this.notice = new Notice(document.getElementById('measure-notice'));
    this.tableBody = document.querySelector('#latency-table tbody');
    this.rankBody = document.querySelector('#latency-rank tbody');
    this.chart = charts.add('chart-latency-bars', 'latency_bars');
    this.nbStatus = document.getElementById('nb-devices-status');
    this.nbWithin = document.getElementById('nb-within');
    this.nbBody = document.querySelector('#nb-devices tbody');
    this.nbLoaded = false;

    this.button.addEventListener('click', () => this.measure());
    store.onChange((key) => {
      if (RANKING_KEYS.includes(key)) this.render();
      if (NB201_KEYS.includes(key)) this.renderNb201();
    });
    results.onChange(() => this.render());
  }

  /** Sets the engine once loaded: the illustrative tables come from it. */
  setEngine(engine) {
    this.engine = engine;
    this.tables = JSON.parse(engine.illustrative_latency_tables());
    this.button.disabled = false;
    this.render();
    // The 2.4 MB table is fetched only when someone looks at this section.
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        this.loadNb201();
      }
    });
    observer.observe(document.getElementById('nb-devices'));
  }

  async loadNb201() {
    try {
      await loadNb201Table(this.engine, (progress) => {
        this.nbStatus.textContent = progress.stage === 'parse'
          ? 'Reading the NAS-Bench-201 table…'
          : `Loading the NAS-Bench-201 table… ${(progress.received / 2 ** 20).toFixed(1)} MiB`;
      });
    } catch (error) {
      this.nbStatus.textContent = `The NAS-Bench-201 table could not be loaded: ${messageOf(error)}`;
      return;
    }
    this.nbLoaded = true;
    this.nbStatus.textContent = '15,625 cells of the NAS-Bench-201 table, looked up in this page.';
    this.renderNb201();
  }

  /** The most accurate cells per device, and the best one within the budget. */
  renderNb201() {
    if (!this.nbLoaded) return;
    const { nb_device: device, nb_target: target } = this.store.values;
    const answer = JSON.parse(this.engine.nb201_devices(device, target, COMPARED));
    this.nbBody.replaceChildren(...answer.top.map((row) => {
      const tr = element('tr');
      tr.append(element('td', { className: 'arch', text: `#${row.idx} ${row.cell}` }));
      tr.append(element('td', { text: formatAccuracy(row.accuracy) }));
      for (const { column } of answer.devices) tr.append(element('td', { text: formatMs(row[column]) }));
      return tr;
    }));
    const { description, column } = answer.devices.find((d) => d.name === device);
    const best = answer.best_within;
    this.nbWithin.textContent = best
      ? `Within ${target} ms on the ${description}: ${answer.within.toLocaleString('en-US')} cells; ` +
        `the most accurate is #${best.idx} ${best.cell}, accuracy ${formatAccuracy(best.accuracy)} ` +
        `at ${formatMs(best[column])} ms.`
      : `No cell runs within ${target} ms on the ${description}; raise the budget.`;
  }

  async measure() {
    const trainer = this.trainer();
    if (!trainer?.ready) {
      this.notice.show('The training backend is not ready yet; wait for the backend line above.');
      return;
    }
    this.button.disabled = true;
    this.notice.clear();
    const { width, dataset } = this.store.values;
    // Own files have no fixed shape; time the ops at the digits' size then.
    const shape = SHAPES[dataset] ?? SHAPES.digits;
    const size = `${shape.input_size}×${shape.input_size}`;
    this.status.textContent = `Timing ${OPS.length} ops at width ${width} on ${size} inputs…`;
    try {
      this.measured = await trainer.measureOps({ ops: OPS, width, ...shape });
      const { table } = this.measured;
      this.status.textContent = `Measured on ${table.backend} at width ${table.width} on ` +
        `${table.input_size}×${table.input_size} inputs, batch of one, median of 9 samples of 20 passes each.`;
    } catch (error) {
      this.notice.show(`The ops could not be measured: ${messageOf(error)}`);
      this.status.textContent = '';
    } finally {
      this.button.disabled = false;
    }
    this.render();
  }

  /** All tables known now: the illustrative two, and this device once measured. */
  allTables() {
    return this.measured ? [...this.tables, this.measured.table] : this.tables;
  }

  render() {
    if (!this.engine) return;
    this.renderOpTable();
    const { ranked } = rankChains(this.results.all());
    const estimates = ranked.length === 0 ? [] : JSON.parse(this.engine.estimate_latencies(
      JSON.stringify(ranked.map((record) => record.label)),
      JSON.stringify(this.allTables()),
    ));
    this.renderBars(ranked.slice(0, COMPARED), estimates.slice(0, COMPARED));
    this.renderRanking(ranked, estimates);
  }

  renderOpTable() {
    const timings = new Map((this.measured?.timings ?? []).map((t) => [t.op, t]));
    const rows = OPS.map((op) => {
      const row = element('tr');
      row.append(element('td', { className: 'arch', text: op }));
      for (const table of this.tables) row.append(element('td', { text: formatMs(table.ops[op]) }));
      const timing = timings.get(op);
      const measured = !timing ? 'not measured yet'
        : timing.below_resolution ? `< ${formatMs(timing.ms)}` : formatMs(timing.ms);
      row.append(element('td', { text: measured }));
      return row;
    });
    const base = element('tr');
    base.append(element('td', { className: 'arch', text: 'stem + pooling + head' }));
    for (const table of this.tables) base.append(element('td', { text: table.base_ms ? formatMs(table.base_ms) : 'not counted' }));
    base.append(element('td', { text: this.measured ? formatMs(this.measured.table.base_ms) : 'not measured yet' }));
    this.tableBody.replaceChildren(...rows, base);
  }

  /** Series per device for the best networks, in the order the legend lists them. */
  renderBars(best, estimates) {
    const names = {
      mobile: 'mobile (illustrative table)',
      gpu: 'gpu (illustrative table)',
      'this device': 'this device, estimated from its op table',
    };
    const series = this.allTables().map((table, k) => ({
      name: names[table.device] ?? table.device,
      values: estimates.map((row) => row.latencies[k].ms),
    }));
    series.push({ name: 'this device, whole network measured', values: best.map((r) => r.latency_ms) });
    this.charts.show(this.chart, { groups: best.map((record) => `#${record.index}`), series });
  }

  /** The page's networks ranked by MnasNet's reward under the target on the chosen device. */
  renderRanking(ranked, estimates) {
    const { hw_target: target, hw_device: choice } = this.store.values;
    const column = this.allTables().findIndex((table) => table.device === choice);
    const latencyOf = (record, k) => (choice === 'measured' ? record.latency_ms
      : column < 0 ? NaN : estimates[k].latencies[column].ms ?? NaN);
    const scored = ranked.map((record, k) => ({ record, latency: latencyOf(record, k) }))
      .filter(({ latency }) => Number.isFinite(latency) && latency > 0)
      .map((entry) => ({ ...entry, reward: latencyReward(entry.record.accuracy, entry.latency, target) }))
      .sort((a, b) => b.reward - a.reward);
    if (scored.length === 0) {
      const why = column < 0 && choice !== 'measured'
        ? 'Measure the ops on this device first.' : 'No trained chain network yet: run a search above.';
      this.rankBody.replaceChildren(messageRow(why, 6));
      return;
    }
    this.rankBody.replaceChildren(...scored.slice(0, 10).map(({ record, latency, reward }) => {
      const row = element('tr');
      for (const text of [`#${record.index}`, record.label, formatAccuracy(record.accuracy),
        formatMs(latency), latency <= target ? 'yes' : 'no', reward.toFixed(3)]) {
        row.append(element('td', { text }));
      }
      row.cells[1].className = 'arch';
      return row;
    }));
  }
}
