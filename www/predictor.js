// Section 9: predictor-based search. The chain search is the third panel of
// `Searches` (trained in the worker like sections 3 and 4); this section draws
// how its guesses compare with the trained accuracies, and runs the three-way
// NAS-Bench-201 race in the training worker, one seed per step.
import { loadNb201Table } from './nb201.js';
import {
  formatTau,
  guessChart,
  judgedGuesses,
  predictorRounds,
  raceChart,
  raceRows,
  rankChart,
  tauChart,
} from './predictor-data.js';
import { bestSoFar } from './search.js';
import { predictorRaceRequest } from './state.js';
import { element, formatSeconds, messageOf, messageRow, Notice } from './ui.js';

/** `count` and `noun`, plural unless the count is one. */
function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** An accuracy fraction as a percentage with the table's three decimals. */
function percent(fraction) {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(3)}%` : '–';
}

/** Fills `tbody` with one row per item of `rows`, each a list of cell texts. */
function fillRows(tbody, rows) {
  tbody.replaceChildren(...rows.map((cells) => {
    const row = element('tr');
    for (const text of cells) row.append(element('td', { text }));
    return row;
  }));
}

/**
 * The race's run bar, a panel of `Searches` so that it takes turns with the
 * chain searches in the one training worker (see `Searches.addPanel`).
 */
class RacePanel {
  constructor(section) {
    this.section = section;
    this.name = 'predictor-race';
    const bar = document.querySelector('.run-bar[data-panel="predictor-race"]');
    this.runButton = bar.querySelector('[data-action="run"]');
    this.stopButton = bar.querySelector('[data-action="stop"]');
    this.progress = bar.querySelector('progress');
    this.status = bar.querySelector('.run-status');
    this.notice = new Notice(bar.querySelector('.notice'));
    this.runButton.addEventListener('click', () => section.searches.start(this));
    this.stopButton.addEventListener('click', () => {
      this.stopButton.disabled = true;
      this.stopAsked = true;
      this.status.textContent = 'Stopping after the seed being raced…';
      section.searches.trainer.stop();
    });
  }

  /** Loads the table on the page (once), then races in the worker. */
  launch(trainer, handlers) {
    this.request = predictorRaceRequest(this.section.store.values);
    this.race = null;
    this.stopAsked = false;
    this.startedAt = performance.now();
    this.notice.clear();
    this.progress.value = 0;
    this.status.dataset.state = 'loading';
    this.status.textContent = 'Loading the NAS-Bench-201 table…';
    loadNb201Table(this.section.engine)
      .then((table) => {
        // Stop while the table loaded: the worker has nothing to stop yet.
        if (this.stopAsked) {
          handlers.end('stopped');
          return;
        }
        this.status.dataset.state = 'racing';
        trainer.runRace(this.request, table.text, { ...handlers, started: () => {} });
      })
      .catch((error) => handlers.end('error', messageOf(error)));
  }

  step(report) {
    this.progress.value = report.fraction;
    this.status.textContent = report.status;
    if (report.race) {
      this.race = report.race;
      this.section.showRace(report.race, this.request);
    }
  }

  /** Ends the race: `outcome` is done, stopped or error (with `message`). */
  end(outcome, message) {
    const { seeds, queries } = this.request;
    const raced = this.race?.seeds_done ?? 0;
    const ms = performance.now() - this.startedAt;
    this.status.dataset.state = outcome;
    this.status.dataset.ms = String(ms);
    if (outcome === 'done') {
      this.progress.value = 1;
      this.status.textContent = `Done: ${seeds} seeds × ${queries} queries for each of the ` +
        `three strategies in ${formatSeconds(ms)} s.`;
    } else if (outcome === 'stopped') {
      this.status.textContent = `Stopped after ${raced} of ${seeds} predictor seeds ` +
        `(${formatSeconds(ms)} s); the chart and tables hold the seeds done.`;
    } else {
      this.notice.show(message);
      this.status.textContent = `Stopped by an error after ${raced} of ${seeds} predictor seeds.`;
    }
    this.section.searches.announce(this.status.textContent);
  }
}

export class PredictorSection {
  /**
   * `store` holds the settings; `charts` draws; `searches` runs the chain
   * search (its `predictor` panel) and takes the race as a panel. Charts of
   * the chain run need the engine (`setEngine`) to judge its guesses.
   */
  constructor({ store, charts, searches }) {
    this.store = store;
    this.charts = charts;
    this.searches = searches;
    this.engine = null;
    this.chartOf = {
      guesses: charts.add('chart-predicted', 'predicted_vs_true'),
      quality: charts.add('chart-rank-quality', 'rank_quality'),
      best: charts.add('chart-predictor-best', 'best_so_far'),
      race: charts.add('chart-predictor-race', 'strategy_race'),
      tau: charts.add('chart-predictor-tau', 'rank_quality'),
    };
    this.qualityLine = document.getElementById('predictor-quality');
    this.roundsBody = document.querySelector('#predictor-rounds tbody');
    this.raceBody = document.querySelector('#predictor-race-table tbody');
    this.raceCaption = document.getElementById('predictor-race-caption');
    this.tauBody = document.querySelector('#predictor-tau-table tbody');

    searches.onRun((event, panel) => {
      if (panel === searches.predictor) this.showChainRun();
      if (event !== 'started') this.showBest();
    });
    searches.addPanel(new RacePanel(this));
    this.showChainRun();
    this.showBest();
  }

  /** Sets the engine's exports; a run shown before then is judged now. */
  setEngine(engine) {
    this.engine = engine;
    this.showChainRun();
  }

  /** Draws the chain run's guesses against the truth, and its τ per round. */
  showChainRun() {
    const { evaluations } = this.searches.predictor;
    const quality = this.judge(evaluations);
    this.charts.show(this.chartOf.guesses, guessChart(evaluations, quality));
    this.charts.show(this.chartOf.quality, rankChart(quality));
    this.showQuality(evaluations, quality);
  }

  /** The engine's rank quality of `evaluations`, or null without engine or guesses. */
  judge(evaluations) {
    if (!this.engine || evaluations.length === 0) return null;
    return JSON.parse(this.engine.chain_quality(JSON.stringify(evaluations)));
  }

  /** The line and table that give the τ values in numbers. */
  showQuality(evaluations, quality) {
    const rounds = quality?.rounds ?? [];
    const last = rounds.at(-1)?.up_to_round;
    this.qualityLine.dataset.kendall = String(last?.kendall_tau ?? '');
    if (!last) {
      const config = this.searches.predictor.config;
      const allRandom = config && config.initial_candidates >= config.candidates;
      this.qualityLine.textContent = evaluations.length === 0
        ? 'No guesses judged yet: run the search.'
        : allRandom
          ? `No guess judged: the ${config.candidates} networks of the budget all went to the ` +
            'initial random candidates, so no predictor round ran: set fewer initial random ' +
            'candidates than candidates.'
          : 'No guess judged yet: the first networks are random, the predictor guesses from ' +
            'the first round on.';
      this.roundsBody.replaceChildren(messageRow('No round yet.', 6));
      return;
    }
    const proxy = quality.proxy;
    this.qualityLine.textContent = `After round ${rounds.at(-1).round}: Kendall τ ` +
      `${formatTau(last.kendall_tau)} and Spearman ρ ${formatTau(last.spearman_rho)} between ` +
      `the guesses and the trained accuracy of the ${plural(judgedGuesses(evaluations).length, 'network')} ` +
      `picked by the predictor; the zero-cost proxy alone: τ ` +
      `${formatTau(proxy.kendall_tau)} over all ${proxy.n} trained networks.`;
    fillRows(this.roundsBody, rounds.map((r, i) => [
      String(r.round),
      String(r.this_round.n),
      formatTau(r.this_round.kendall_tau),
      formatTau(r.up_to_round.kendall_tau),
      formatTau(r.up_to_round.spearman_rho),
      formatTau(quality.proxy_by_round[i]?.kendall_tau),
    ]));
  }

  /** The best-so-far of this page's three chain searches, networks trained only. */
  showBest() {
    const { random, evolution, predictor } = this.searches;
    const trained = (panel) => bestSoFar(panel.evaluations.filter((e) => !e.cached));
    this.charts.show(this.chartOf.best, {
      series: [
        { name: 'Predictor-based', values: trained(predictor) },
        { name: 'Random (section 3)', values: trained(random) },
        { name: 'Evolution (section 4)', values: trained(evolution) },
      ].filter((series) => series.values.length > 0),
    });
  }

  /** Shows the race so far: its curves, its table and the predictor's τ per round. */
  showRace(race, request) {
    const complete = race.seeds_done >= request.seeds;
    this.charts.show(this.chartOf.race, raceChart(race, complete));
    this.charts.show(this.chartOf.tau, tauChart(race));

    this.raceBody.replaceChildren(...raceRows(race).map((r) => {
      const row = element('tr');
      row.dataset.strategy = r.strategy;
      row.dataset.after100 = String(r.after[0]);
      row.dataset.after300 = String(r.after[1]);
      for (const text of [
        r.name,
        percent(r.after[0]),
        percent(r.after[1]),
        `${percent(r.final)} (regret ${(r.regret * 100).toFixed(3)} points)`,
        `${r.found} of ${r.seeds}`,
      ]) {
        row.append(element('td', { text }));
      }
      return row;
    }));
    const { predictor } = request;
    const noRound = predictor.initial >= request.queries
      ? '. Its random start spends the whole budget, so no predictor round runs and the ' +
        'predictor-based row is random search: lower the random start or raise the queries'
      : '';
    this.raceCaption.textContent = `Three-way race: ${race.seeds_done} of ${request.seeds} ` +
      `seeds from seed ${request.seed}, ${request.queries} queries each (evolution: ` +
      `population ${request.population}, sample ${request.sample}; predictor: ` +
      `${predictor.initial} random cells, then ${predictor.per_round} a round from pools of ` +
      `${predictor.pool}, κ ${predictor.kappa})${noRound}.`;
    fillRows(this.tauBody, predictorRounds(race).map((r) => [
      String(r.round),
      String(r.queries_before),
      formatTau(r.median_kendall_unseen),
      formatTau(r.median_spearman_unseen),
      formatTau(r.median_kendall_picked),
    ]));
  }
}
