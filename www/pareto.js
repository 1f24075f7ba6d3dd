// Section 6: the Pareto fronts of accuracy against latency and against
// parameters over every network trained on this page. The engine computes
// the fronts (for the charts and for the table alike); this file lays them
// out, and finds the point under a click.
import { checkValue } from './state.js';
import { element, formatAccuracy, formatCount, formatInteger, formatMs, messageOf, Notice } from './ui.js';

/** The two trade-offs shown, each a chart and a column of the table. */
const FRONTS = [
  { objective: 'latency_ms', canvas: 'chart-front-latency', noun: 'latency' },
  { objective: 'params', canvas: 'chart-front-params', noun: 'parameters' },
];

/** A front's networks: every member of every point (duplicates included). */
function frontMembers(front) {
  return front.points.flatMap((point) => point.members);
}

/** How close to a point a click must land to pick it, in CSS pixels. */
const PICK_RADIUS = 12;

/** How each method is named on the page. */
const METHOD_NAMES = Object.freeze({
  random: 'random search',
  evolution: 'evolution',
  regularized: 'regularized evolution',
  predictor: 'predictor-based search',
  darts: 'DARTS',
});

function methodName(method) {
  return METHOD_NAMES[method] ?? method;
}

/** A record of results.js as the engine's charts and fronts take it. */
function candidate(record) {
  return {
    group: methodName(record.method),
    label: `#${record.index}`,
    status: record.status,
    accuracy: record.accuracy,
    latency_ms: record.latency_ms,
    params: record.params,
    flops: record.flops,
  };
}

/** Whether `label` is a chain architecture's text form, which `arch_graph` draws. */
function isChain(label) {
  return 'value' in checkValue('arch', label);
}

export class ParetoSection {
  /** `charts` draws; `results` holds every evaluation of the page. */
  constructor({ charts, results }) {
    this.charts = charts;
    this.results = results;
    this.engine = null;
    this.records = [];

    this.fronts = FRONTS.map((front) => ({ ...front, chart: charts.add(front.canvas, 'pareto_scatter') }));
    this.archChart = charts.add('chart-front-arch', 'arch_graph');
    this.status = document.getElementById('front-status');
    this.notice = Notice.after(this.status);
    this.tbody = document.querySelector('#front-table tbody');
    this.caption = document.getElementById('front-caption');
    this.details = document.getElementById('front-details');
    this.detailsList = document.getElementById('front-details-list');
    this.archFigure = document.getElementById('front-arch-figure');
    this.archNote = document.getElementById('front-arch-note');

    for (const front of this.fronts) {
      front.chart.canvas.addEventListener('click', (event) => this.pick(front.chart, event));
    }
    results.onChange(() => this.render());
    this.render();
  }

  /** Sets the engine's exports (with `pareto_front`) and fills the table. */
  setEngine(engine) {
    this.engine = engine;
    this.render();
  }

  render() {
    this.records = this.results.all();
    const points = this.records.map(candidate);
    for (const front of this.fronts) this.charts.show(front.chart, { x: front.objective, points });
    if (!this.engine) return;

    let fronts;
    try {
      fronts = this.fronts.map((front) =>
        JSON.parse(this.engine.pareto_front(JSON.stringify(points), `accuracy,${front.objective}`)));
      this.notice.clear();
    } catch (error) {
      this.notice.show(`The Pareto fronts could not be computed: ${messageOf(error)}`);
      return;
    }
    this.renderStatus(fronts);
    this.renderTable(fronts);
  }

  /** Says how many networks the charts hold, how many were left out and why. */
  renderStatus(fronts) {
    const count = this.records.length;
    if (count === 0) {
      this.status.textContent = 'No networks trained yet: run a search above.';
      return;
    }
    const failed = this.records.filter((record) => record.status !== 'ok').length;
    const onFronts = fronts.map((front, i) =>
      `${frontMembers(front).length} on the ${this.fronts[i].noun} front`);
    const failedText = failed > 0 ? ` (${failed} failed, left out)` : '';
    this.status.textContent =
      `${count} network${count === 1 ? '' : 's'} trained on this page${failedText}: ` +
      `${onFronts.join(', ')}. Click a point to see its network.`;
  }

  /**
   * Lists every network on either front, most accurate first; its number is
   * a button that shows it.
   */
  renderTable(fronts) {
    const on = new Map();
    for (const [i, front] of fronts.entries()) {
      for (const member of frontMembers(front)) {
        on.set(member, [...(on.get(member) ?? []), this.fronts[i].noun]);
      }
    }
    const members = [...on.entries()]
      .map(([position, nouns]) => ({ record: this.records[position], nouns }))
      .sort((a, b) => b.record.accuracy - a.record.accuracy || a.record.index - b.record.index);

    const rows = members.map(({ record, nouns }) => {
      const row = document.createElement('tr');
      row.dataset.index = String(record.index);
      const button = element('button', { text: `#${record.index}` });
      button.type = 'button';
      button.title = 'Show this network';
      button.setAttribute('aria-label', `Show network #${record.index}`);
      button.addEventListener('click', () => this.showDetails(record));
      const number = element('td');
      number.append(button);
      row.append(
        number,
        element('td', { className: 'arch', text: record.label }),
        element('td', { className: 'method', text: methodName(record.method) }),
        element('td', { text: formatAccuracy(record.accuracy) }),
        element('td', { text: formatMs(record.latency_ms) }),
        element('td', { text: Number.isFinite(record.params) ? formatInteger(record.params) : '–' }),
        element('td', { className: 'fronts', text: nouns.length === fronts.length ? 'both' : nouns[0] }),
      );
      return row;
    });
    this.tbody.replaceChildren(...rows);
    this.caption.textContent = rows.length === 0
      ? 'Networks on a Pareto front: none yet'
      : `Networks on a Pareto front: ${rows.length} of ${this.records.length}`;
  }

  /** Shows the network whose point lies under a click on `chart`, if any. */
  pick(chart, event) {
    const { canvas } = chart;
    const ratio = canvas.width / Math.max(1, canvas.clientWidth);
    const x = event.offsetX * ratio;
    const y = event.offsetY * ratio;
    let nearest = null;
    let nearestDistance = (PICK_RADIUS * ratio) ** 2;
    for (const point of chart.points) {
      const distance = (point.x - x) ** 2 + (point.y - y) ** 2;
      if (distance <= nearestDistance) {
        nearest = point;
        nearestDistance = distance;
      }
    }
    if (nearest) this.showDetails(this.records[nearest.index]);
  }

  /** Fills the details box with `record`, drawing its chain when it is one. */
  showDetails(record) {
    const entries = [
      ['Network', `#${record.index}, found by ${methodName(record.method)}`],
      ['Architecture', record.label],
      ['Validation accuracy', formatAccuracy(record.accuracy)],
      ['Latency per image', `${formatMs(record.latency_ms)} ms`],
      ['Parameters', Number.isFinite(record.params) ? formatInteger(record.params) : '–'],
      ['FLOPs per image', Number.isFinite(record.flops) ? formatCount(record.flops) : '–'],
    ];
    this.detailsList.replaceChildren(...entries.flatMap(([term, value]) => [
      element('dt', { text: term }),
      element('dd', { text: value }),
    ]));
    this.details.hidden = false;
    this.details.dataset.index = String(record.index);

    const chain = isChain(record.label);
    this.archFigure.hidden = !chain;
    this.archNote.hidden = chain;
    if (chain) {
      this.charts.show(this.archChart, { ops: record.label.split(',') });
    } else {
      this.archNote.textContent = 'This network is not a chain of layers, so there is no chain to draw.';
    }
  }
}
