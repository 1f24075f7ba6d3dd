// Saved runs: every evaluation and generation of the chain searches (sections
// 3, 4 and 9) goes into IndexedDB as it arrives, so a reload shows the last run of
// each section again and offers to resume one that the reload interrupted.
// Without IndexedDB (a private window may refuse it) a notice says so and
// everything else works.
import { plannedEvaluations, runSummary } from './runfile.js';
import { followDisabled, messageOf, Notice } from './ui.js';

const DB_NAME = 'nasplay';

/** How the status line names each section whose runs are saved. */
const SECTION_TITLES = Object.freeze({
  random: 'Random search',
  evolution: 'Evolution',
  predictor: 'Predictor-based search',
});
const DB_VERSION = 1;

/** The promise of an IndexedDB request. */
function settled(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** The promise that a transaction committed. */
function committed(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error ?? new Error('the write was aborted'));
  });
}

/** Opens the database, creating its stores on first use. */
function openDatabase() {
  const request = indexedDB.open(DB_NAME, DB_VERSION);
  request.onupgradeneeded = () => {
    const db = request.result;
    db.createObjectStore('runs', { keyPath: 'id' });
    db.createObjectStore('evaluations', { keyPath: ['run', 'index'] }).createIndex('run', 'run');
    db.createObjectStore('generations', { keyPath: ['run', 'generation'] }).createIndex('run', 'run');
  };
  return settled(request);
}

/**
 * The runs saved in this browser. A run record is `{ id, section, config,
 * shape, planned, outcome, message }`, `outcome` "running" until it ends;
 * its evaluations and generations are stored beside it, keyed by run id.
 * Every method rejects when IndexedDB fails (a full disk, say).
 */
export class SavedRuns {
  constructor(db, problem) {
    this.db = db;
    /** Why runs are not saved, or null when they are. */
    this.problem = problem;
  }

  /** Opens the store; resolves to one whose `problem` says why it cannot save. */
  static async open() {
    if (typeof indexedDB === 'undefined') {
      return new SavedRuns(null, 'this browser offers no IndexedDB');
    }
    try {
      return new SavedRuns(await openDatabase(), null);
    } catch (error) {
      return new SavedRuns(null, `this browser refused its storage (${messageOf(error)})`);
    }
  }

  /** Writes `write(stores)` in one transaction over the stores named. */
  write(names, write) {
    const transaction = this.db.transaction(names, 'readwrite');
    const stores = Object.fromEntries(names.map((name) => [name, transaction.objectStore(name)]));
    write(stores);
    return committed(transaction);
  }

  /** Deletes every record of the runs `ids` from the open `stores`. */
  static forget(stores, ids) {
    for (const id of ids) {
      stores.runs.delete(id);
      stores.evaluations.delete(IDBKeyRange.bound([id, 0], [id, Infinity]));
      stores.generations.delete(IDBKeyRange.bound([id, 0], [id, Infinity]));
    }
  }

  /**
   * Saves `run` (a record, with `evaluations` and `generations` when it has
   * some) as the one run of its section: the section's other runs go.
   */
  async keep(run) {
    const older = (await this.runs()).filter((r) => r.section === run.section && r.id !== run.id);
    const { evaluations = [], generations = [], ...record } = run;
    return this.write(['runs', 'evaluations', 'generations'], (stores) => {
      SavedRuns.forget(stores, older.map((r) => r.id));
      stores.runs.put(record);
      for (const evaluation of evaluations) {
        stores.evaluations.put({ run: run.id, index: evaluation.index, evaluation });
      }
      for (const generation of generations) {
        stores.generations.put({ run: run.id, generation: generation.generation, stats: generation });
      }
    });
  }

  /** Merges `changes` into the record of run `id`. */
  update(id, changes) {
    return this.write(['runs'], ({ runs }) => {
      const request = runs.get(id);
      request.onsuccess = () => {
        if (request.result) runs.put({ ...request.result, ...changes });
      };
    });
  }

  addEvaluation(id, evaluation) {
    return this.write(['evaluations'], ({ evaluations }) => {
      evaluations.put({ run: id, index: evaluation.index, evaluation });
    });
  }

  addGeneration(id, generation) {
    return this.write(['generations'], ({ generations }) => {
      generations.put({ run: id, generation: generation.generation, stats: generation });
    });
  }

  /** Every run record. */
  runs() {
    return settled(this.db.transaction('runs').objectStore('runs').getAll());
  }

  /** The saved run of `section` with its evaluations and generations, or null. */
  async load(section) {
    const run = (await this.runs()).find((r) => r.section === section);
    if (!run) return null;
    const transaction = this.db.transaction(['evaluations', 'generations']);
    const read = (name) => settled(transaction.objectStore(name).index('run').getAll(run.id));
    const [evaluations, generations] = await Promise.all([read('evaluations'), read('generations')]);
    return {
      ...run,
      evaluations: evaluations.map((e) => e.evaluation).sort((a, b) => a.index - b.index),
      generations: generations.map((g) => g.stats).sort((a, b) => a.generation - b.generation),
    };
  }

  /** Forgets every saved run. */
  clear() {
    return this.write(['runs', 'evaluations', 'generations'], (stores) => {
      for (const store of Object.values(stores)) store.clear();
    });
  }
}

/** A run id unique to this browser. */
function newRunId(section) {
  return `${section}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Keeps the runs of `searches` (its chain panels) in `saved`: restores each
 * section's saved run on load, saves every run as it goes, offers to resume
 * an interrupted one, and wires "Clear saved runs".
 */
export class RunKeeper {
  constructor({ searches, saved }) {
    this.searches = searches;
    this.saved = saved;
    this.status = document.getElementById('saved-status');
    this.clearButton = document.getElementById('clear-saved');
    this.notice = Notice.after(this.status.parentElement);
    /** Per section: the id of the run saved for it, and a run waiting to be resumed. */
    this.ids = {};
    this.pending = {};
    this.prompts = {};
    /** Per section: the saved run being resumed, until the engine has started it. */
    this.resuming = {};
    /** Sections saved apart: `{ pending, cleared }` (see `onClear`). */
    this.clearHooks = [];
    /** The writes in the order they were asked for (a run's record before its shape). */
    this.queue = Promise.resolve();
    for (const panel of searches.chainPanels) this.bindPrompt(panel);
    searches.onRun((event, panel, detail) => {
      if (event === 'end' && detail.outcome === 'lost') this.offerAfterLoss(panel, detail.message);
    });

    if (saved.problem) {
      this.notice.show(`Runs are not saved: ${saved.problem} (private windows often refuse ` +
        'it). A reload loses them; everything else works.');
      this.status.textContent = 'Runs last until the page is closed.';
      return;
    }
    this.status.textContent = 'Runs are saved in this browser as they train: a reload keeps them.';
    searches.lockWhileRunning(this.clearButton);
    this.clearButton.addEventListener('click', () => this.clear());
    searches.onRun((event, panel, detail) => this.record(event, panel, detail));
  }

  /** The resume prompt of `panel`: Resume follows the panel's Run button. */
  bindPrompt(panel) {
    const box = document.querySelector(`.resume-prompt[data-panel="${panel.name}"]`);
    const resume = box.querySelector('[data-action="resume"]');
    const keep = box.querySelector('[data-action="keep"]');
    this.prompts[panel.name] = { box, text: box.querySelector('p') };
    followDisabled(resume, panel.runButton);
    resume.addEventListener('click', () => {
      const run = this.pending[panel.name];
      if (run) this.searches.start(panel, run);
    });
    keep.addEventListener('click', () => {
      this.hidePrompt(panel);
      const id = this.ids[panel.name];
      this.persist(() => this.saved.update(id, { outcome: 'interrupted' }));
    });
  }

  hidePrompt(panel) {
    this.pending[panel.name] = null;
    this.prompts[panel.name].box.hidden = true;
  }

  /** Shows each section's saved run, and offers to resume an interrupted one. */
  async restore() {
    if (this.saved.problem) return;
    for (const panel of this.searches.chainPanels) {
      let run;
      try {
        run = await this.saved.load(panel.name);
      } catch (error) {
        this.notice.show(`The saved runs could not be read: ${messageOf(error)}`);
        return;
      }
      if (!run || this.searches.active === panel) continue;
      this.ids[panel.name] = run.id;
      const interrupted = run.outcome === 'running';
      const shown = { ...run, outcome: interrupted ? 'interrupted' : run.outcome };
      panel.show(shown, runSummary(shown, panel.noun, 'Restored from this browser'));
      if (run.evaluations.length >= run.planned) continue;
      if (interrupted) this.offerResume(panel, run);
      if (run.outcome === 'lost') this.offerResume(panel, { ...run, lost: run.message, reloaded: true });
    }
  }

  /**
   * Asks whether to go on with `run`, interrupted by a reload or, when it
   * has `lost` (the reason), by its GPU device: then the candidate that was
   * training is recorded as failed with that reason and the search goes on
   * with the next one, on the backend the page now has: the CPU right after
   * a loss, the Backend menu's choice after a reload (`reloaded`).
   */
  offerResume(panel, run) {
    this.pending[panel.name] = run;
    const { box, text } = this.prompts[panel.name];
    const next = run.evaluations.length + 1;
    text.textContent = run.lost
      ? `Candidate ${next} of ${run.planned} could not finish: ${run.lost}. The ` +
        `${next - 1} finished are kept. Continue ${run.reloaded ? 'with this page’s backend' : 'on the CPU'}? ` +
        `Candidate ${next} is recorded ` +
        'as failed and the search goes on with the next, with the settings it was started with.'
      : `Resume the search from candidate ${next} of ${run.planned}? It continues with the ` +
        'settings it was started with.';
    box.hidden = false;
  }

  /**
   * A search ended by a lost GPU device: offers to go on without it. Saved
   * runs are not needed for that, so it works without IndexedDB too.
   */
  offerAfterLoss(panel, message) {
    const run = {
      id: this.ids[panel.name],
      section: panel.name,
      config: panel.config,
      shape: panel.shape,
      planned: plannedEvaluations(panel.config),
      evaluations: [...panel.evaluations],
      generations: [...panel.generations],
      lost: message,
    };
    if (run.evaluations.length < run.planned) this.offerResume(panel, run);
  }

  /** Saves what a run listener (see `Searches.onRun`) tells. */
  record(event, panel, detail) {
    const section = panel.name;
    if (event === 'begin' || (event === 'shown' && detail.fileName)) {
      this.hidePrompt(panel);
      this.ids[section] = detail.resume?.id ?? newRunId(section);
    }
    const id = this.ids[section];
    switch (event) {
      case 'begin': {
        const { config, resume } = detail;
        this.resuming[section] = resume;
        const run = { id, section, config, shape: resume?.shape ?? null,
          planned: plannedEvaluations(config), outcome: 'running', message: null };
        this.persist(() => this.saved.keep(run));
        break;
      }
      case 'started':
        this.resuming[section] = null;
        this.persist(() => this.saved.update(id, { shape: detail }));
        break;
      case 'step': {
        const { evaluation, generation } = detail;
        if (evaluation) {
          const title = SECTION_TITLES[section];
          const planned = plannedEvaluations(panel.config);
          const text = `${title}: ${evaluation.index} of ${planned} ${panel.noun}s ` +
            'saved in this browser.';
          this.persist(() => this.saved.addEvaluation(id, evaluation), text);
        }
        if (generation) this.persist(() => this.saved.addGeneration(id, generation));
        break;
      }
      case 'end':
        if (this.resuming[section]) {
          // The engine could not start the resumed run (its dataset is not
          // loaded yet, say): it stays saved, to be resumed once it can.
          this.offerResume(panel, this.resuming[section]);
          this.resuming[section] = null;
          break;
        }
        this.persist(() => this.saved.update(id, {
          outcome: detail.outcome,
          message: detail.message || null,
        }));
        break;
      case 'shown':
        // An imported run becomes the section's saved run; a restored one already is.
        if (detail.fileName) this.persist(() => this.saved.keep({ ...detail, id, section }));
        break;
      default:
        break;
    }
  }

  /**
   * Queues `write()` after the writes asked for before; a failure is shown
   * when it happens. `savedText`, if given, goes to the status line once the
   * write is done.
   */
  persist(write, savedText = null) {
    this.queue = this.queue.then(write).then(
      () => {
        if (savedText) this.status.textContent = savedText;
      },
      (error) => this.notice.show(`A run could not be saved in this browser: ${messageOf(error)}`),
    );
  }

  /**
   * For a section saved apart (DARTS): clearing first awaits `pending()`
   * (its writes asked for so far), then calls `cleared()`.
   */
  onClear(pending, cleared) {
    this.clearHooks.push({ pending, cleared });
  }

  async clear() {
    try {
      await this.queue;
      for (const { pending } of this.clearHooks) await pending();
      await this.saved.clear();
    } catch (error) {
      this.notice.show(`The saved runs could not be cleared: ${messageOf(error)}`);
      return;
    }
    for (const panel of this.searches.chainPanels) this.hidePrompt(panel);
    this.ids = {};
    for (const { cleared } of this.clearHooks) cleared();
    this.notice.clear();
    this.status.textContent = 'Saved runs cleared: a reload starts with empty tables.';
  }
}
