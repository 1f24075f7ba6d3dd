// Sections 3 and 4: random and evolutionary search. Each panel owns its Run
// and Stop buttons, progress, results table and charts; `Searches` makes
// sure only one search runs at a time.
import { searchConfig } from './state.js';
import { formatAccuracy, formatSeconds, messageOf, Notice, renderResults } from './ui.js';

/** Accuracies of the successful, newly trained evaluations. */
function trainedAccuracies(evaluations) {
  return evaluations
    .filter((evaluation) => evaluation.status === 'ok' && !evaluation.cached)
    .map((evaluation) => evaluation.accuracy);
}

/** Best accuracy after each evaluation, from the first successful one on. */
function bestSoFar(evaluations) {
  const values = [];
  let best = null;
  for (const evaluation of evaluations) {
    if (evaluation.status === 'ok' && (best === null || evaluation.accuracy > best)) {
      best = evaluation.accuracy;
    }
    if (best !== null) values.push(best);
  }
  return values;
}

class SearchPanel {
  /**
   * `name` is the section's id (random or evolution); `noun` names what it
   * trains in messages; `strategy()` gives the engine strategy for a run.
   */
  constructor(searches, { name, noun, strategy, withGeneration }) {
    this.searches = searches;
    this.noun = noun;
    this.strategy = strategy;
    this.withGeneration = withGeneration;
    this.evaluations = [];
    this.generations = [];

    const bar = document.querySelector(`.run-bar[data-panel="${name}"]`);
    this.runButton = bar.querySelector('[data-action="run"]');
    this.stopButton = bar.querySelector('[data-action="stop"]');
    this.progress = bar.querySelector('progress');
    this.status = bar.querySelector('.run-status');
    this.notice = new Notice(bar.querySelector('.notice'));
    this.tbody = document.querySelector(`#${name}-results tbody`);

    this.runButton.addEventListener('click', () => searches.start(this));
    this.stopButton.addEventListener('click', () => {
      this.stopButton.disabled = true;
      this.status.textContent = 'Stopping after the current step…';
      searches.trainer.stop();
    });
  }

  begin() {
    this.evaluations = [];
    this.generations = [];
    this.startedAt = performance.now();
    this.notice.clear();
    this.progress.value = 0;
    this.status.textContent = 'Starting…';
    this.tbody.replaceChildren();
    this.searches.redraw(this);
  }

  /** Takes one step's report from the worker. */
  step(report) {
    this.progress.value = report.fraction;
    this.status.textContent = report.status;
    if (report.evaluation) {
      this.evaluations.push(report.evaluation);
      renderResults(this.tbody, this.evaluations, { withGeneration: this.withGeneration });
    }
    if (report.generation) this.generations.push(report.generation);
    if (report.evaluation || report.generation) this.searches.redraw(this);
  }

  /** Ends the run: `outcome` is done, stopped or error (with `message`). */
  end(outcome, message) {
    const count = this.evaluations.length;
    const seconds = formatSeconds(performance.now() - this.startedAt);
    const trained = `${count} ${this.noun}${count === 1 ? '' : 's'}`;
    const best = this.evaluations
      .filter((evaluation) => evaluation.status === 'ok')
      .reduce((a, b) => (b.accuracy > (a?.accuracy ?? -1) ? b : a), null);
    const bestText = best
      ? `; best accuracy ${formatAccuracy(best.accuracy)} (${best.arch})`
      : '';

    let summary;
    if (outcome === 'done') {
      this.progress.value = 1;
      summary = `Done: ${trained} in ${seconds} s${bestText}.`;
    } else if (outcome === 'stopped') {
      summary = `Stopped after ${trained} (${seconds} s)${bestText}.`;
    } else {
      this.notice.show(message);
      summary = `Stopped by an error after ${trained}${bestText}.`;
    }
    this.status.textContent = summary;
    this.searches.announce(summary);
  }
}

export class Searches {
  /** `store` holds the settings; `charts` draws; `backendControl` is the Backend menu. */
  constructor({ store, charts, backendControl }) {
    this.store = store;
    this.charts = charts;
    this.backendControl = backendControl;
    this.trainer = null;
    this.active = null;
    this.announcer = document.getElementById('announcer');

    this.random = new SearchPanel(this, {
      name: 'random',
      noun: 'candidate',
      strategy: () => 'random',
      withGeneration: false,
    });
    this.evolution = new SearchPanel(this, {
      name: 'evolution',
      noun: 'network',
      strategy: () => store.values.strategy,
      withGeneration: true,
    });
    this.chartOf = {
      best: charts.add('chart-random-best', 'best_so_far'),
      progress: charts.add('chart-evo-progress', 'evolution_progress'),
      diversity: charts.add('chart-evo-diversity', 'diversity'),
      histogram: charts.add('chart-evo-histogram', 'accuracy_histogram'),
    };
    this.updateButtons();
  }

  /** Sets the trainer once the engine is loaded; null while none is ready. */
  setTrainer(trainer) {
    this.trainer = trainer;
    this.updateButtons();
  }

  get ready() {
    return this.trainer !== null && this.trainer.ready;
  }

  updateButtons() {
    for (const panel of [this.random, this.evolution]) {
      panel.runButton.disabled = !this.ready || this.active !== null;
      panel.stopButton.disabled = this.active !== panel;
    }
    this.backendControl.disabled = this.active !== null;
  }

  start(panel) {
    if (!this.ready || this.active) return;
    const config = searchConfig(this.store.values, panel.strategy());
    panel.begin();
    this.active = panel;
    try {
      this.trainer.run(config, {
        step: (report) => panel.step(report),
        end: (outcome, message) => {
          this.active = null;
          panel.end(outcome, message);
          this.updateButtons();
        },
      });
    } catch (error) {
      this.active = null;
      panel.end('error', messageOf(error));
    }
    this.updateButtons();
  }

  /** Redraws the charts that show `panel`'s results; all of them without one. */
  redraw(panel = null) {
    const { random, evolution, charts, chartOf } = this;
    if (panel !== evolution) {
      charts.show(chartOf.best, {
        series: [{ name: 'Random', values: bestSoFar(random.evaluations) }],
      });
    }
    if (panel !== random) {
      charts.show(chartOf.progress, {
        best: evolution.generations.map((generation) => generation.best),
        mean: evolution.generations.map((generation) => generation.mean),
      });
      charts.show(chartOf.diversity, {
        values: evolution.generations.map((generation) => generation.diversity),
      });
    }
    charts.show(chartOf.histogram, {
      series: [
        { name: 'Random', values: trainedAccuracies(random.evaluations) },
        { name: 'Evolution', values: trainedAccuracies(evolution.evaluations) },
      ],
    });
  }

  /** Tells screen readers a short summary, once. */
  announce(text) {
    this.announcer.textContent = text;
  }
}
