// Section 5: a real DARTS run. The worker trains the supernet and α, derives
// the cell and retrains it; this panel draws α after every epoch, the op
// weights and loss curves, the derived cell, and compares the retrained cell
// with the best networks of random search and evolution.
import { checkValue, dartsConfig, OPS } from './state.js';
import { bestEvaluation } from './runfile.js';
import {
  element, followDisabled, formatAccuracy, formatInteger, formatMs, formatSeconds, messageOf, messageRow,
  Notice,
} from './ui.js';

/** `from→to` of every edge of a fully connected cell, in the engine's order. */
export function cellEdgeLabels(nodes) {
  const labels = [];
  for (let to = 1; to < nodes; to += 1) {
    for (let from = 0; from < to; from += 1) labels.push(`${from}→${to}`);
  }
  return labels;
}

/** Each op's mean probability over the edges of one `[edge][op]` table. */
export function meanPerOp(probabilities) {
  const ops = probabilities[0]?.length ?? 0;
  const means = new Array(ops).fill(0);
  for (const row of probabilities) row.forEach((p, k) => { means[k] += p / probabilities.length; });
  return means;
}

function totalTrainMs(evaluations) {
  return evaluations.reduce((sum, e) => sum + (e.cached ? 0 : e.train_ms), 0);
}

export class DartsSection {
  /** `searches` runs one thing at a time; `results` collects every evaluation on the page. */
  constructor({ store, charts, results, searches }) {
    this.store = store;
    this.charts = charts;
    this.results = results;
    this.searches = searches;
    this.reset(dartsConfig(store.values));

    const bar = document.querySelector('.run-bar[data-panel="darts"]');
    this.runButton = bar.querySelector('[data-action="run"]');
    this.stopButton = bar.querySelector('[data-action="stop"]');
    this.progress = bar.querySelector('progress');
    this.status = bar.querySelector('.run-status');
    this.notice = new Notice(bar.querySelector('.notice'));
    this.genotypeText = document.getElementById('darts-genotype');
    this.collapse = document.getElementById('darts-collapse');
    this.capNote = document.getElementById('darts-cap');
    this.undecided = document.getElementById('darts-undecided');
    this.compareBody = document.querySelector('#darts-compare tbody');
    this.prompt = this.bindPrompt(document.querySelector('.resume-prompt[data-panel="darts"]'));

    this.chartOf = {
      heatmap: charts.add('chart-darts-heatmap', 'alpha_heatmap'),
      lines: charts.add('chart-darts-lines', 'alpha_lines'),
      curves: charts.add('chart-darts-curves', 'darts_curves'),
      cell: charts.add('chart-darts-cell', 'cell_graph'),
    };
    this.runButton.addEventListener('click', () => searches.start(this));
    this.stopButton.addEventListener('click', () => {
      this.stopButton.disabled = true;
      this.status.textContent = 'Stopping after the current step…';
      searches.trainer.stop();
    });
    results.onChange(() => this.renderComparison());
    searches.addPanel(this);
    this.renderComparison();
  }

  /** Forgets the last run's data; `config` decides the table's labels. */
  reset(config) {
    this.config = config;
    this.ops = OPS.filter((op) => config.ops.includes(op));
    this.edges = cellEdgeLabels(config.nodes);
    this.tables = [];
    this.epochs = [];
    this.derivation = null;
    this.retrained = null;
    /** The engine's state after the last search epoch (a Uint8Array), or null. */
    this.checkpoint = null;
  }

  /**
   * Wires the resume prompt `box`: Resume follows the Run button and goes on
   * with the interrupted run, Keep as is leaves it as it got.
   */
  bindPrompt(box) {
    const resume = box.querySelector('[data-action="resume"]');
    followDisabled(resume, this.runButton);
    resume.addEventListener('click', () => {
      if (this.pending) this.searches.start(this, this.pending);
    });
    box.querySelector('[data-action="keep"]').addEventListener('click', () => {
      const run = this.pending;
      this.hidePrompt();
      if (!run || !this.saved) return;
      // It will not go on: its state need not take room any more.
      const darts = { ...run.darts, checkpoint: null };
      this.queue(() => this.saved.update(run.id, { outcome: 'interrupted', darts }));
    });
    return { box, text: box.querySelector('p'), resume };
  }

  hidePrompt() {
    this.pending = null;
    this.prompt.box.hidden = true;
  }

  /**
   * Asks whether to go on with the saved `run` that a reload (or, with
   * `lost`, the loss of the GPU device: its reason) interrupted, from the
   * checkpoint of its last search epoch. Interrupted after the last one
   * (while deriving or retraining), the cell is derived and retrained again.
   */
  offerResume(run, lost = null) {
    this.pending = run;
    const done = run.darts.epochs.length;
    const planned = run.config.epochs;
    const { text, resume, box } = this.prompt;
    resume.textContent = done < planned ? `Resume from epoch ${done + 1}` : 'Resume';
    const state = `the supernet, α and optimizer state saved after epoch ${done}`;
    if (lost) {
      text.textContent = done < planned
        ? `Search epoch ${done + 1} of ${planned} could not finish: ${lost}. Continue on the ` +
          `CPU from ${state}? It keeps the settings the run was started with.`
        : `The retraining could not finish: ${lost}. Continue on the CPU? The cell is derived ` +
          'again from the saved α and retrained from scratch.';
    } else {
      text.textContent = done < planned
        ? `Resume the DARTS run from search epoch ${done + 1} of ${planned}? It continues with ` +
          `the settings it was started with, from ${state}; on the same backend it ends as it ` +
          'would have without the reload.'
        : `The reload came after the last search epoch (${done} of ${planned}). Resume? The ` +
          'cell is derived again from the saved α and retrained from scratch.';
    }
    box.hidden = false;
  }

  /**
   * Saves every run in `saved` (see saved.js) as it goes, with the engine's
   * checkpoint of its last search epoch, and shows the last saved run again;
   * a run that a reload interrupted can be resumed from that checkpoint.
   */
  async keepIn(saved) {
    if (saved.problem) return;
    this.saved = saved;
    let run = null;
    try {
      run = await saved.load('darts');
    } catch (error) {
      this.notice.show(`The saved DARTS run could not be read: ${messageOf(error)}`);
    }
    if (!run?.darts || this.searches.active === this) return;
    try {
      this.restore(run);
    } catch (error) {
      // A record this page cannot read (another version wrote it, or it was
      // altered): the section starts empty and says so.
      this.hidePrompt();
      this.reset(dartsConfig(this.store.values));
      this.clearCell();
      this.redraw();
      this.status.textContent = 'Not started.';
      this.notice.show(`The saved DARTS run could not be shown (${messageOf(error)}); run DARTS ` +
        'again, or clear the saved runs.');
    }
  }

  /** Takes the derived cell and its warnings off the page. */
  clearCell() {
    for (const line of [this.collapse, this.capNote, this.undecided]) line.hidden = true;
    this.genotypeText.textContent = 'The derived cell appears here when the search ends.';
  }

  /** The saved runs were cleared: nothing saved is left to resume. */
  forgetSaved() {
    if (this.pending || this.fromSaved) {
      this.status.textContent = 'The saved DARTS run was cleared: the epochs shown cannot be ' +
        'resumed and a reload will not show them.';
    }
    this.hidePrompt();
  }

  /** Shows a saved run: its charts, cell and comparison row. */
  restore(run) {
    const { tables, epochs, derivation, retrained, elapsedMs } = run.darts;
    checkSavedConfig(run.config);
    this.reset(run.config);
    this.fromSaved = true;
    Object.assign(this, { tables, epochs, derivation, retrained, savedElapsedMs: elapsedMs });
    if (derivation) this.showDerivation(derivation);
    if (retrained) this.recordRetrained(retrained);
    this.redraw();
    if (run.outcome === 'done') this.progress.value = 1;
    const count = `${epochs.length} search epoch${epochs.length === 1 ? '' : 's'}`;
    if (run.outcome === 'lost' && run.darts.checkpoint) {
      // Asked as after a reload: the page may have its GPU back by now.
      this.status.textContent = `Interrupted after ${count}: ${run.message ?? 'the GPU device was lost'}.`;
      this.offerResume(run);
      return;
    }
    if (run.outcome !== 'running') {
      this.status.textContent = `Restored from this browser: the last DARTS run (${count}, ${run.outcome}).`;
      return;
    }
    const interrupted = `A reload interrupted the last DARTS run after ${count}; it is shown as far as it got.`;
    if (run.darts.checkpoint) {
      this.status.textContent = interrupted;
      this.offerResume(run);
    } else if (epochs.length === 0) {
      this.status.textContent = `${interrupted} It cannot resume: it stopped before its first ` +
        'search epoch ended, and a run is saved after each one: run it again.';
    } else {
      this.status.textContent = `${interrupted} It cannot resume: it was saved without the state ` +
        'of its last epoch (by an earlier version of this page): run it again.';
    }
  }

  /**
   * This run as a saved record; `outcome` is running until it ends, `message`
   * says why it ended when it did not finish.
   */
  record(outcome, message = null) {
    const { tables, epochs, derivation, retrained } = this;
    // Only a run that was cut off can go on; one that ended need not keep its state.
    const checkpoint = outcome === 'running' || outcome === 'lost' ? this.checkpoint : null;
    const elapsedMs = performance.now() - this.startedAt;
    return {
      id: this.runId, section: 'darts', config: this.config, outcome, message,
      darts: { tables, epochs, derivation, retrained, elapsedMs, checkpoint },
    };
  }

  /** Writes this run as the saved DARTS run (see `record`). */
  persist(outcome, message = null) {
    if (!this.saved) return;
    const record = this.record(outcome, message);
    this.queue(() => this.saved.keep(record));
  }

  /** Runs `write()` after the saves asked for before; a failure is shown. */
  queue(write) {
    this.saving = (this.saving ?? Promise.resolve())
      .then(write)
      .catch((error) => this.notice.show(`The DARTS run could not be saved: ${messageOf(error)}`));
  }

  /**
   * Starts a run on `trainer`; `handlers` as for `Trainer.run`. With
   * `resume`, a saved run that a reload or a lost GPU interrupted, it
   * continues that run from its checkpoint, its saved epochs already on the
   * charts; until its first step it stays saved as it was (see `end`).
   */
  launch(trainer, handlers, resume = null) {
    const config = resume?.config ?? dartsConfig(this.store.values);
    this.reset(config);
    this.hidePrompt();
    this.runId = resume?.id ?? `darts-${Date.now().toString(36)}`;
    this.savedElapsedMs = null;
    this.startedAt = performance.now() - (resume?.darts.elapsedMs ?? 0);
    if (resume) {
      this.tables = [...resume.darts.tables];
      this.epochs = [...resume.darts.epochs];
      this.checkpoint = resume.darts.checkpoint;
    }
    this.peakMemory = 0;
    this.notice.clear();
    this.clearCell();
    this.progress.value = 0;
    this.status.textContent = resume
      ? `Resuming after search epoch ${this.epochs.length}…`
      : 'Building the supernet…';
    this.resuming = resume;
    this.fromSaved = false;
    this.redraw();
    trainer.runDarts(config, { ...handlers, resumed: (summary) => this.resumed(summary) },
      this.checkpoint);
  }

  /**
   * The engine took the checkpoint: its epochs, not the saved record's copy,
   * are the ones the run goes on from, so the charts show those.
   */
  resumed(summary) {
    this.epochs = summary.epochs;
    this.tables = [summary.initial_probabilities, ...summary.epochs.map((epoch) => epoch.probabilities)];
    this.redraw();
    // Running again, so that a reload from now on is not taken for a lost GPU.
    this.persist('running');
  }

  /** Takes one step's report from the worker. */
  step(report) {
    this.resuming = null;
    this.progress.value = report.fraction;
    this.status.textContent = report.status;
    this.peakMemory = Math.max(this.peakMemory, report.memory_bytes ?? 0);
    let changed = false;
    if (report.initial_probabilities) {
      this.tables.push(report.initial_probabilities);
      changed = true;
    }
    if (report.epoch && !report.error) {
      this.epochs.push(report.epoch);
      this.tables.push(report.epoch.probabilities);
      this.checkpoint = report.checkpoint ?? null;
      if (report.checkpoint_error) {
        this.notice.show(`The state after search epoch ${report.epoch.epoch} could not be read ` +
          `back (${report.checkpoint_error}), so a reload or a lost GPU now ends this run.`);
      }
      changed = true;
    }
    if (report.derivation) {
      this.derivation = report.derivation;
      this.showDerivation(report.derivation);
      changed = true;
    }
    if (report.retrained) {
      this.retrained = report.retrained;
      this.recordRetrained(report.retrained);
      changed = true;
    }
    if (changed) {
      this.redraw();
      this.persist('running');
    }
  }

  /**
   * Ends the run: `outcome` is done, stopped, error or lost (the GPU device,
   * with `message` saying why). A resume that fails before its first step
   * (its dataset not loaded yet, say) leaves the saved run as it was and asks
   * again, so that it can go on once it can.
   */
  end(outcome, message) {
    const resuming = this.resuming;
    this.resuming = null;
    if (resuming && outcome === 'error') {
      // Shown again as it is saved (untouched), and offered again.
      this.restore(resuming);
      this.notice.show(message);
      this.status.textContent = `The DARTS run could not resume after search epoch ` +
        `${resuming.darts.epochs.length}.`;
      return;
    }
    const seconds = formatSeconds(performance.now() - this.startedAt);
    const epochs = `${this.epochs.length} search epoch${this.epochs.length === 1 ? '' : 's'}`;
    const retrained = this.retrained?.status === 'ok'
      ? `; the derived cell retrained to accuracy ${formatAccuracy(this.retrained.accuracy)}`
      : '';
    const memory = this.peakMemory > 0
      ? `; engine memory peaked at ${(this.peakMemory / 2 ** 20).toFixed(0)} MiB`
      : '';
    let summary;
    if (outcome === 'done') {
      this.progress.value = 1;
      summary = `Done: ${epochs} in ${seconds} s${retrained}${memory}.`;
    } else if (outcome === 'stopped') {
      summary = `Stopped after ${epochs} (${seconds} s).`;
    } else if (outcome === 'lost') {
      summary = this.checkpoint
        ? `Interrupted after ${epochs}: ${message}.`
        : `Interrupted after ${epochs}: ${message}; no search epoch had ended, so run it again ` +
          '(on the CPU now).';
    } else {
      this.notice.show(message);
      summary = `Stopped by an error after ${epochs}.`;
    }
    this.status.textContent = summary;
    this.searches.announce(summary);
    this.persist(outcome, message);
    if (outcome === 'lost' && this.checkpoint) this.offerResume(this.record(outcome, message), message);
  }

  showDerivation(derivation) {
    this.genotypeText.textContent = `Derived cell: ${derivation.genotype}`;
    this.collapse.hidden = !derivation.collapse_warning;
    this.collapse.textContent = derivation.collapse_warning
      ? `Collapse warning: ${derivation.collapse_warning}` : '';
    this.capNote.hidden = !derivation.cap_note;
    this.capNote.textContent = derivation.cap_note ?? '';
    const undecided = derivation.edges.filter((edge) => edge.undecided);
    this.undecided.hidden = undecided.length === 0;
    this.undecided.textContent = undecided.length === 0 ? '' :
      `Undecided edges (every probability within 0.001 of uniform, so the choice there is ` +
      `arbitrary): ${undecided.map((edge) => `${edge.from}→${edge.to}`).join(', ')}. ` +
      'More search epochs or a higher α learning rate let them decide.';
  }

  recordRetrained(evaluation) {
    try {
      this.results.add('darts', {
        // The method's cost: the search and the retraining together.
        train_ms: this.savedElapsedMs ?? performance.now() - this.startedAt,
        label: evaluation.arch,
        accuracy: evaluation.accuracy,
        latency_ms: evaluation.latency_ms,
        params: evaluation.params,
        flops: evaluation.flops,
        status: evaluation.status,
      });
    } catch (error) {
      this.notice.show(`The retrained cell could not be recorded: ${messageOf(error)}`);
    }
    this.renderComparison();
  }

  redraw() {
    const { charts, chartOf } = this;
    const last = this.tables.at(-1);
    const chosen = this.derivation?.edges.map((edge) =>
      (edge.chosen === null ? null : this.ops.indexOf(edge.chosen))) ?? [];
    const undecided = this.derivation?.edges.map((edge) => edge.undecided) ?? [];
    charts.show(chartOf.heatmap, last ? {
      edges: this.edges,
      ops: this.ops,
      probabilities: last,
      chosen,
      undecided,
      epoch: this.tables.length - 1,
    } : { edges: [], ops: [], probabilities: [] });
    const means = this.tables.map(meanPerOp);
    charts.show(chartOf.lines, {
      series: this.ops.map((name, k) => ({ name, values: means.map((row) => row[k]) })),
    });
    charts.show(chartOf.curves, {
      train_loss: this.epochs.map((e) => e.train_loss),
      valid_loss: this.epochs.map((e) => e.valid_loss),
      train_accuracy: this.epochs.map((e) => e.train_accuracy),
      valid_accuracy: this.epochs.map((e) => e.valid_accuracy),
    });
    const kept = this.derivation?.edges.filter((edge) => edge.kept) ?? [];
    charts.show(chartOf.cell, {
      nodes: this.derivation ? this.config.nodes : 0,
      edges: kept.map((edge) => ({ from: edge.from, to: edge.to, op: edge.chosen })),
    });
  }

  /** The retrained cell, and the best of random search and of evolution so far. */
  renderComparison() {
    const rows = [];
    if (this.retrained) {
      const total = this.savedElapsedMs ?? performance.now() - this.startedAt;
      rows.push(['DARTS (retrained cell)', this.retrained, total]);
    }
    const { random, evolution } = this.searches;
    for (const [name, panel] of [['Random search', random], ['Evolution', evolution]]) {
      const best = bestEvaluation(panel.evaluations);
      if (best) rows.push([`${name} (best of ${panel.evaluations.length})`, best, totalTrainMs(panel.evaluations)]);
    }
    if (rows.length === 0) {
      this.compareBody.replaceChildren(
        messageRow('Nothing to compare yet: run DARTS, random search or evolution.', 6),
      );
      return;
    }
    this.compareBody.replaceChildren(...rows.map(([method, e, ms]) => {
      const row = element('tr');
      const failed = e.status !== 'ok';
      for (const text of [
        method,
        e.arch,
        failed ? `failed: ${e.reason}` : formatAccuracy(e.accuracy),
        formatInteger(e.params),
        formatMs(e.latency_ms),
        formatSeconds(ms),
      ]) {
        row.append(element('td', { text }));
      }
      row.cells[1].className = 'arch';
      return row;
    }));
  }
}

/**
 * Throws, naming the field, when a saved run's `config` is not one this page
 * could have written: what the section draws from it (the ops, the cell's
 * nodes, the planned epochs) must be sound before anything is built from it.
 */
function checkSavedConfig(config) {
  if (!Array.isArray(config?.ops) || !config.ops.every((op) => OPS.includes(op))) {
    throw new Error('its settings name no known operations');
  }
  for (const [field, key] of [['nodes', 'd_nodes'], ['epochs', 'd_epochs']]) {
    const { problem } = Number.isInteger(config[field])
      ? checkValue(key, config[field])
      : { problem: 'is not a whole number' };
    if (problem) throw new Error(`its ${field} setting (${config[field]}) ${problem}`);
  }
}
