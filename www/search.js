// Sections 3, 4 and 9: random, evolutionary and predictor-based search on the
// chain space. Each panel owns its Run and Stop buttons, progress, results
// table and charts; `Searches` makes sure only one search runs at a time.
import { searchConfig } from './state.js';
import { formatAccuracy, formatSeconds, messageOf, Notice, renderResults } from './ui.js';

/** Accuracies of the successful, newly trained evaluations. */
function trainedAccuracies(evaluations) {
  return evaluations
    .filter((evaluation) => evaluation.status === 'ok' && !evaluation.cached)
    .map((evaluation) => evaluation.accuracy);
}

/** An engine evaluation as a record of the page's results (see results.js). */
function resultRecord(evaluation) {
  return {
    label: evaluation.arch,
    accuracy: evaluation.accuracy,
    latency_ms: evaluation.latency_ms,
    params: evaluation.params,
    flops: evaluation.flops,
    status: evaluation.status,
    train_ms: evaluation.train_ms,
  };
}

/** Best accuracy after each evaluation, from the first successful one on. */
export function bestSoFar(evaluations) {
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
   * `name` is the section's id (random, evolution or predictor); `noun`
   * names what it trains in messages; `strategy()` gives the engine strategy
   * for a run. `withGeneration` and `withGuess` add those columns to its
   * results table (see `renderResults`).
   */
  constructor(searches, { name, noun, strategy, withGeneration = false, withGuess = false }) {
    this.searches = searches;
    this.name = name;
    this.noun = noun;
    this.strategy = strategy;
    this.columns = { withGeneration, withGuess };
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

  /**
   * Starts this panel's search on `trainer`; `handlers` as for `Trainer.run`.
   * With `resume`, a saved run that a reload interrupted (`config` and
   * `evaluations`), it continues that run with its own settings.
   */
  launch(trainer, handlers, resume = null) {
    const strategy = resume?.config.strategy ?? this.strategy();
    const config = resume?.config ?? searchConfig(this.searches.store.values, strategy);
    this.begin(strategy, config);
    this.searches.tell('begin', this, { config, resume });
    const started = (shape) => {
      this.shape = shape;
      this.searches.tell('started', this, shape);
    };
    trainer.run(config, { ...handlers, started }, resume?.evaluations ?? null, resume?.lost ?? null);
  }

  /**
   * Starts a run of the engine `config`, whose strategy `method` names what
   * its results are filed under.
   */
  begin(method, config) {
    this.method = method;
    this.config = config;
    this.shape = null;
    this.outcome = 'running';
    this.message = null;
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
      // A cached evaluation repeats an earlier one of this run, and a restored
      // one was filed when its saved run was shown: nothing new was trained.
      if (!report.evaluation.cached && !report.evaluation.restored) {
        this.searches.results.add(this.method, resultRecord(report.evaluation));
      }
      renderResults(this.tbody, this.evaluations, this.columns);
    }
    if (report.generation) this.generations.push(report.generation);
    if (report.evaluation || report.generation) this.searches.redraw(this);
    this.searches.tell('step', this, report);
  }

  /** Ends the run: `outcome` is done, stopped or error (with `message`). */
  end(outcome, message) {
    this.outcome = outcome;
    this.message = message || null;
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
    } else if (outcome === 'lost') {
      summary = `Interrupted after ${trained}: ${message}${bestText}.`;
    } else {
      this.notice.show(message);
      summary = `Stopped by an error after ${trained}${bestText}.`;
    }
    this.status.textContent = summary;
    this.searches.announce(summary);
    this.searches.tell('end', this, { outcome, message });
  }

  /**
   * Shows a run that did not run in this page, saved before a reload or
   * imported: `run` has `config`, `shape`, `planned`, `outcome`, `message`,
   * `evaluations` and `generations`; `summary` is its status line.
   */
  show(run, summary) {
    this.method = run.config.strategy;
    this.config = run.config;
    this.shape = run.shape;
    this.outcome = run.outcome;
    this.message = run.message;
    this.evaluations = [...run.evaluations];
    this.generations = [...run.generations];
    // The page's results (summary, Pareto, analysis) hold what was trained on
    // this page, before a reload too; an imported file was trained elsewhere,
    // and importing it twice must not count it twice.
    const trainedHere = !run.fileName;
    for (const evaluation of this.evaluations) {
      if (trainedHere && !evaluation.cached) {
        this.searches.results.add(this.method, resultRecord(evaluation));
      }
    }
    this.notice.clear();
    this.progress.value = run.planned > 0 ? this.evaluations.length / run.planned : 0;
    this.status.textContent = summary;
    renderResults(this.tbody, this.evaluations, this.columns);
    this.searches.redraw(this);
    this.searches.tell('shown', this, run);
  }
}

export class Searches {
  /**
   * `store` holds the settings; `charts` draws; `results` collects every
   * evaluation (see results.js); `backendControl` is the Backend menu.
   */
  constructor({ store, charts, results, backendControl }) {
    this.store = store;
    this.charts = charts;
    this.results = results;
    this.backendControl = backendControl;
    this.trainer = null;
    this.active = null;
    this.runListeners = [];
    /** Controls that must not be used while any run goes (see `lockWhileRunning`). */
    this.locked = [];
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
    // Its charts belong to its section, which draws them on the run events (see onRun).
    this.predictor = new SearchPanel(this, {
      name: 'predictor',
      noun: 'network',
      strategy: () => 'predictor',
      withGuess: true,
    });
    /** The chain searches, whose runs are saved in the browser and exported. */
    this.chainPanels = [this.random, this.evolution, this.predictor];
    this.panels = [...this.chainPanels];
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

  /** Adds a panel run by another section (it has `launch`, `step`, `end`). */
  addPanel(panel) {
    this.panels.push(panel);
    this.updateButtons();
  }

  updateButtons() {
    for (const panel of this.panels) {
      panel.runButton.disabled = !this.ready || this.active !== null;
      panel.stopButton.disabled = this.active !== panel;
    }
    this.backendControl.disabled = this.active !== null;
    for (const control of this.locked) control.disabled = this.active !== null;
  }

  /** Disables `control` while any run goes (DARTS too), enables it between runs. */
  lockWhileRunning(control) {
    this.locked.push(control);
    this.updateButtons();
  }

  /**
   * Calls `listener(event, panel, detail)` as the searches of sections 3 and
   * 4 go: "begin" ({ config, resume }), "started" (the networks' shape),
   * "step" (the step's report), "end" ({ outcome, message }), and "shown"
   * (the run that `panel.show` put on the page). Listeners must not throw.
   */
  onRun(listener) {
    this.runListeners.push(listener);
  }

  /** Tells every run listener (see `onRun`). */
  tell(event, panel, detail) {
    for (const listener of this.runListeners) listener(event, panel, detail);
  }

  /** Starts `panel`'s search; `resume` (a saved run) goes to its `launch`. */
  start(panel, resume = null) {
    if (!this.ready || this.active) return;
    this.active = panel;
    try {
      panel.launch(this.trainer, {
        step: (report) => panel.step(report),
        end: (outcome, message) => {
          this.active = null;
          panel.end(outcome, message);
          this.updateButtons();
        },
      }, resume);
    } catch (error) {
      this.active = null;
      panel.end('error', messageOf(error));
    }
    this.updateButtons();
  }

  /**
   * Redraws the charts of sections 3 and 4 that show `panel`'s results; all
   * of them without one. A predictor run changes none of them.
   */
  redraw(panel = null) {
    const { random, evolution, charts, chartOf } = this;
    if (panel === this.predictor) return;
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
