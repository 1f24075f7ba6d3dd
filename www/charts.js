// Canvas charts: sizes each canvas to its CSS box times devicePixelRatio and
// lets the engine draw into it. Before the engine is there, a plain message.

/**
 * One chart: a canvas, the engine's chart kind, the data last shown, and
 * where its clickable points were drawn (`[{ index, x, y }]` in canvas
 * pixels, from the engine; empty for most kinds).
 */
class Chart {
  constructor(canvas, kind) {
    this.canvas = canvas;
    this.kind = kind;
    this.data = null;
    this.points = [];
  }
}

export class Charts {
  /** `placeholder` is written on every canvas until the engine is set. */
  constructor(placeholder) {
    this.engine = null;
    this.placeholder = placeholder;
    this.charts = [];
    this.pending = new Set();
    this.observer = new ResizeObserver((entries) => {
      for (const entry of entries) this.schedule(entry.target.chart);
    });
  }

  /** Registers the canvas with id `id` as a chart of `kind`; returns it. */
  add(id, kind) {
    const canvas = document.getElementById(id);
    const chart = new Chart(canvas, kind);
    canvas.chart = chart;
    this.charts.push(chart);
    this.observer.observe(canvas);
    return chart;
  }

  /** Sets the engine's exports (with `draw_chart`) and redraws everything. */
  setEngine(engine) {
    this.engine = engine;
    for (const chart of this.charts) this.draw(chart);
    // Benchmarks read the time from navigation to the first charts drawn.
    performance.mark('nasplay:charts-drawn');
  }

  /** Replaces the message shown while no engine is set. */
  setPlaceholder(text) {
    this.placeholder = text;
    if (!this.engine) for (const chart of this.charts) this.draw(chart);
  }

  /** Shows `data` (an object, sent to the engine as JSON) on `chart`. */
  show(chart, data) {
    chart.data = data;
    this.draw(chart);
  }

  /** Redraws `chart` at the next animation frame, once however often asked. */
  schedule(chart) {
    if (this.pending.size === 0) {
      requestAnimationFrame(() => {
        for (const waiting of this.pending) this.draw(waiting);
        this.pending.clear();
      });
    }
    this.pending.add(chart);
  }

  draw(chart) {
    const { canvas } = chart;
    const scale = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(canvas.clientWidth * scale));
    const height = Math.max(1, Math.round(canvas.clientHeight * scale));
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;

    chart.points = [];
    if (!this.engine) {
      drawMessage(canvas, this.placeholder, scale);
      return;
    }
    try {
      const data = JSON.stringify(chart.data ?? emptyData(chart.kind));
      chart.points = JSON.parse(this.engine.draw_chart(canvas, chart.kind, data, scale));
    } catch (error) {
      drawMessage(canvas, `This chart could not be drawn: ${error.message ?? error}`, scale);
    }
  }
}

/** The "nothing yet" data of each chart kind. */
function emptyData(kind) {
  switch (kind) {
    case 'ops_scatter':
      return [];
    case 'arch_graph':
      return { ops: [] };
    case 'best_so_far':
    case 'accuracy_histogram':
    case 'alpha_lines':
      return { series: [] };
    case 'alpha_heatmap':
      return { edges: [], ops: [], probabilities: [] };
    case 'darts_curves':
      return { train_loss: [], valid_loss: [], train_accuracy: [], valid_accuracy: [] };
    case 'cell_graph':
      return { nodes: 0, edges: [] };
    case 'latency_bars':
      return { groups: [], series: [] };
    case 'evolution_progress':
      return { best: [], mean: [] };
    case 'diversity':
      return { values: [] };
    case 'pareto_scatter':
      return { x: 'latency_ms', points: [] };
    case 'op_frequency':
    case 'op_positions':
      return { architectures: [] };
    case 'strategy_race':
      return { strategies: [] };
    case 'predicted_vs_true':
      return { predicted: [], actual: [] };
    case 'rank_quality':
      return { kendall: [], spearman: [], proxy_kendall: [] };
    default:
      throw new Error(`unknown chart kind ${kind}`);
  }
}

/** Clears `canvas` and writes `text` in its middle. */
function drawMessage(canvas, text, scale) {
  const context = canvas.getContext('2d');
  context.save();
  context.clearRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = '#5b6470';
  context.font = `${14 * scale}px system-ui, sans-serif`;
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  context.fillText(text, canvas.width / 2, canvas.height / 2, canvas.width - 16 * scale);
  context.restore();
}
