// Export and import for the chain searches (sections 3, 4 and 9): a run as JSON or CSV, each chart as
// PNG, the best (or a chosen) architecture as PyTorch source or JSON, and a
// run exported earlier shown again. Files are made in the page and nothing is
// sent anywhere; what a file holds reaches the page only as text.
import {
  MAX_RUN_BYTES,
  RUN_SECTIONS,
  bestEvaluation,
  plannedEvaluations,
  readRunDocument,
  runCsv,
  runDocument,
  runSummary,
  safeFileName,
} from './runfile.js';
import { formatAccuracy, messageOf, Notice } from './ui.js';

/** Starts the download of `blob` as the file `name`. */
function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken the blob once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A JSON download: pretty-printed, one document. */
function jsonBlob(value) {
  return new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' });
}

/** The export bar of one search panel, and the row chosen in its table. */
class PanelExports {
  constructor(owner, panel) {
    this.owner = owner;
    this.panel = panel;
    const bar = document.querySelector(`.export-bar[data-panel="${panel.name}"]`);
    this.notice = new Notice(bar.querySelector('.notice'));
    this.choice = bar.querySelector('.export-choice');
    this.fileInput = bar.querySelector('[data-import]');
    this.importButton = bar.querySelector('[data-action="import"]');
    this.buttons = {};
    for (const button of bar.querySelectorAll('[data-export]')) {
      this.buttons[button.dataset.export] = button;
      button.addEventListener('click', () => this.act(button.dataset.export));
    }
    /** The `index` of the evaluation chosen in the table; null for the best. */
    this.chosenIndex = null;

    this.importButton.addEventListener('click', () => this.fileInput.click());
    this.fileInput.addEventListener('change', () => this.importFile());
    panel.tbody.addEventListener('click', (event) => this.choose(event.target));
    panel.tbody.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        this.choose(event.target);
      }
    });
    // The table is redrawn after every evaluation: mark the rows again each time.
    new MutationObserver(() => this.markRows()).observe(panel.tbody, { childList: true });
  }

  get running() {
    return this.panel.searches.active === this.panel;
  }

  /** The evaluation whose architecture the buttons export, or null. */
  chosen() {
    const { evaluations } = this.panel;
    return evaluations.find((e) => e.index === this.chosenIndex) ?? bestEvaluation(evaluations);
  }

  /** Chooses the row holding `target`; choosing the chosen row again goes back to the best. */
  choose(target) {
    const row = target.closest('tr');
    if (!row) return;
    const index = Number(row.dataset.index);
    this.chosenIndex = index === this.chosenIndex ? null : index;
    this.markRows();
    this.update();
  }

  markRows() {
    for (const row of this.panel.tbody.rows) {
      row.tabIndex = 0;
      const chosen = Number(row.dataset.index) === this.chosenIndex;
      row.classList.toggle('chosen', chosen);
      if (chosen) row.setAttribute('aria-current', 'true');
      else row.removeAttribute('aria-current');
    }
  }

  /** Enables what can be exported now, and names the architecture the buttons take. */
  update() {
    const { panel, buttons } = this;
    const hasRun = panel.evaluations.length > 0 && !this.running;
    buttons['run-json'].disabled = !hasRun;
    buttons['run-csv'].disabled = !hasRun;
    this.importButton.disabled = this.running;

    const chosen = this.chosen();
    const canBuild = chosen !== null && this.owner.engine !== null && Boolean(panel.shape);
    buttons['arch-py'].disabled = !canBuild;
    buttons['arch-json'].disabled = !canBuild;
    if (!chosen) {
      this.choice.textContent = 'the best one, once one has trained';
    } else if (chosen.index === this.chosenIndex) {
      this.choice.textContent = `${panel.noun} ${chosen.index}, ${chosen.arch} (chosen)`;
    } else {
      this.choice.textContent = `the best one, ${chosen.arch} ` +
        `(accuracy ${formatAccuracy(chosen.accuracy)})`;
    }
  }

  /** Forgets the chosen row: a new run has other candidates. */
  reset() {
    this.chosenIndex = null;
    this.notice.clear();
  }

  /** The panel's run as `runDocument` takes it. */
  run() {
    const { panel } = this;
    return {
      section: panel.name,
      config: panel.config,
      shape: panel.shape,
      planned: plannedEvaluations(panel.config),
      outcome: panel.outcome,
      message: panel.message,
      evaluations: panel.evaluations,
      generations: panel.generations,
    };
  }

  act(kind) {
    this.notice.clear();
    const { panel } = this;
    const stem = `${panel.name}-seed${panel.config.seed}`;
    try {
      switch (kind) {
        case 'run-json':
          download(jsonBlob(runDocument(this.run())), `nasplay-${safeFileName(stem)}.json`);
          break;
        case 'run-csv':
          download(new Blob([runCsv(panel.evaluations)], { type: 'text/csv' }),
            `nasplay-${safeFileName(stem)}.csv`);
          break;
        default:
          this.exportArchitecture(kind);
      }
    } catch (error) {
      this.notice.show(`The file could not be made: ${messageOf(error)}`);
    }
  }

  /** `kind` is arch-py (PyTorch source) or arch-json. */
  exportArchitecture(kind) {
    const { panel } = this;
    const evaluation = this.chosen();
    const { engine } = this.owner;
    const { in_channels: channels, classes, width, input_size: size } = panel.shape;
    const which = evaluation.index === this.chosenIndex ? `${panel.noun}${evaluation.index}` : 'best';
    const stem = safeFileName(`${panel.name}_${which}_seed${panel.config.seed}`);
    if (kind === 'arch-py') {
      const source = engine.pytorch_source(evaluation.arch, channels, classes, width, size);
      // A module name: Python imports no dashes.
      const name = `nasplay_${stem.replaceAll('-', '_')}.py`;
      download(new Blob([source], { type: 'text/x-python' }), name);
      return;
    }
    const architecture = JSON.parse(
      engine.architecture_json(evaluation.arch, channels, classes, width, size),
    );
    architecture.trained = {
      section: panel.name,
      index: evaluation.index,
      status: evaluation.status,
      accuracy: evaluation.accuracy,
      final_loss: evaluation.final_loss,
      latency_ms: evaluation.latency_ms,
      backend: evaluation.backend,
      search_seed: panel.config.seed,
      config: panel.config,
    };
    download(jsonBlob(architecture), `nasplay-${stem}-architecture.json`);
  }

  /** Reads the chosen file as a run of this section and shows it. */
  async importFile() {
    const file = this.fileInput.files[0];
    this.fileInput.value = '';
    if (!file) return;
    this.notice.clear();
    if (file.size > MAX_RUN_BYTES) {
      this.notice.show(`“${file.name}” is ${(file.size / 1e6).toFixed(1)} MB; a run file is at ` +
        `most ${MAX_RUN_BYTES / 1e6} MB. Choose a file saved with the Run: JSON button.`);
      return;
    }
    let run;
    try {
      run = readRunDocument(await file.text(), file.name);
    } catch (error) {
      this.notice.show(messageOf(error));
      return;
    }
    if (run.section !== this.panel.name) {
      this.notice.show(`“${file.name}” holds a run of ${RUN_SECTIONS[run.section].title}: ` +
        'import it there.');
      return;
    }
    if (this.running) {
      this.notice.show('A search is running here: stop it before importing a run.');
      return;
    }
    const summary = runSummary(run, this.panel.noun, `Imported from “${file.name}”`);
    this.panel.show({ ...run, fileName: file.name }, summary);
  }
}

/** The export and import controls of the chain searches, and the PNG button of every chart. */
export class RunExports {
  constructor({ searches }) {
    this.engine = null;
    this.panels = {};
    for (const panel of searches.chainPanels) {
      this.panels[panel.name] = new PanelExports(this, panel);
    }
    searches.onRun((event, panel) => {
      const tools = this.panels[panel.name];
      if (event === 'begin' || event === 'shown') tools.reset();
      tools.update();
    });
    for (const button of document.querySelectorAll('button[data-png]')) {
      button.addEventListener('click', () => this.downloadChart(button));
    }
    this.update();
  }

  /** Sets the engine's exports: the architecture files need it. */
  setEngine(engine) {
    this.engine = engine;
    this.update();
  }

  update() {
    for (const tools of Object.values(this.panels)) tools.update();
  }

  /** Downloads the canvas that `button` names as a PNG image, at its drawn resolution. */
  downloadChart(button) {
    const id = button.dataset.png;
    const notice = this.panels[button.closest('section').id]?.notice;
    notice?.clear();
    document.getElementById(id).toBlob((blob) => {
      if (blob) {
        download(blob, `nasplay-${safeFileName(id.replace(/^chart-/, ''))}.png`);
      } else {
        notice?.show('The browser could not turn this chart into a PNG image.');
      }
    }, 'image/png');
  }
}
