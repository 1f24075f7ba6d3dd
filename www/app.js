// The page's entry point: reads the settings from the URL hash, wires every
// control in one place, then loads the engine and the training worker. The
// controls work before the engine has loaded.
import { AnalysisSection } from './analysis.js';
import { Charts } from './charts.js';
import { DartsSection } from './darts.js';
import { HardwareSection } from './hardware.js';
import { DatasetSection } from './data.js';
import { loadEngine, Trainer } from './engine.js';
import { RunExports } from './export.js';
import { ParetoSection } from './pareto.js';
import { PredictorSection } from './predictor.js';
import { Results } from './results.js';
import { RunKeeper, SavedRuns } from './saved.js';
import { Searches } from './search.js';
import { SpaceSection } from './space.js';
import { SummarySection } from './summary.js';
import {
  SECTIONS,
  SETTINGS,
  checkPageValue,
  checkValue,
  formatHash,
  formatValue,
  parseHash,
} from './state.js';
import { messageOf, Notice } from './ui.js';

/** The settings, kept in the URL hash on every change. */
class Store {
  constructor(values) {
    this.values = values;
    this.listeners = [];
  }

  /** Sets `key` to an already validated `value`, writes the hash, tells listeners. */
  set(key, value) {
    this.values[key] = value;
    this.writeHash();
    for (const listener of this.listeners) listener(key);
  }

  onChange(listener) {
    this.listeners.push(listener);
  }

  writeHash() {
    history.replaceState(null, '', formatHash(this.values));
  }
}

/** The message shown next to a control whose text is not a valid value. */
function fieldMessage(key, raw, problem, current) {
  const spec = SETTINGS[key];
  const label = spec.label[0].toUpperCase() + spec.label.slice(1);
  const kept = `Still using ${formatValue(key, current)}.`;
  if (spec.type === 'int' || spec.type === 'float') {
    const kind = spec.type === 'int' ? 'a whole number' : 'a number';
    const found = raw.trim() === '' ? '' : `; “${raw}” ${problem}`;
    return `${label} must be ${kind} from ${spec.min} to ${spec.max}${found}. ${kept}`;
  }
  return `${label} “${raw}”: ${problem}. ${kept}`;
}

/**
 * Wires every control with a `data-setting` to the store: ranges from the
 * settings table, a notice beside it, and `validate(text)` (returning
 * `{ value }`, `{ problem }` or a whole `{ message }`) on each change.
 * Returns the fields by key as `{ control, notice }`.
 */
function bindSettings(store, validators) {
  const fields = {};
  for (const control of document.querySelectorAll('[data-setting]')) {
    const key = control.dataset.setting;
    const spec = SETTINGS[key];
    if (spec.type === 'int' || spec.type === 'float') {
      control.min = String(spec.min);
      control.max = String(spec.max);
      control.step = spec.type === 'int' ? '1' : 'any';
    }
    const notice = Notice.after(control.closest('.field') ?? control, control);
    fields[key] = { control, notice };

    const event = control.type === 'text' ? 'input' : 'change';
    control.addEventListener(event, () => {
      const validate = validators[key] ?? ((text) => checkValue(key, text));
      const checked = validate(control.value);
      if ('value' in checked) {
        notice.clear();
        store.set(key, checked.value);
      } else {
        const current = store.values[key];
        notice.show(checked.message ?? fieldMessage(key, control.value, checked.problem, current));
      }
    });
  }
  return fields;
}

/** Puts the store's values into the controls. */
function showValues(store, fields) {
  for (const [key, { control }] of Object.entries(fields)) {
    control.value = formatValue(key, store.values[key]);
  }
}

/** Lists what the link got wrong at the top, and beside each field concerned. */
function showLinkNotices(notices, fields) {
  const box = document.getElementById('link-notices');
  const list = document.getElementById('link-notice-list');
  list.replaceChildren(...notices.map(({ message }) => {
    const item = document.createElement('li');
    item.textContent = message;
    return item;
  }));
  box.hidden = notices.length === 0;
  for (const { key, message } of notices) {
    if (Object.hasOwn(fields, key)) fields[key].notice.show(message);
  }
}

/**
 * Hides the sections (with their contents entry) and the controls named in
 * the `hide` setting: the embed or classroom mode, where a shared link shows
 * only what a lesson needs. Hidden settings still apply with their values.
 */
function applyHide(names) {
  for (const name of names) {
    for (const part of hideable(name)) if (part) part.hidden = true;
  }
}

/** The elements that hiding `name` (a section id or setting key) hides. */
function hideable(name) {
  if (SECTIONS.includes(name)) {
    const entry = document.querySelector(`.toc a[href="#${name}"]`)?.closest('li');
    return [document.getElementById(name), entry];
  }
  const controls = document.querySelectorAll(`[data-setting="${name}"], [data-control="${name}"]`);
  return [...controls].map((control) => control.closest('.field') ?? control);
}

/**
 * Wires "Copy link": the page's address holds every setting, so copying it
 * shares the run. Where the browser refuses the clipboard (permission, or a
 * page that is not a secure context), the link is shown selected in a
 * read-only field to copy by hand.
 */
function bindCopyLink(store) {
  const button = document.getElementById('copy-link');
  const field = document.getElementById('link-text');
  const status = document.getElementById('link-status');
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      field.hidden = true;
      status.textContent = 'Link copied';
    } catch {
      field.value = location.href;
      field.hidden = false;
      field.focus();
      field.select();
      status.textContent = 'The browser did not allow copying: the link is selected, ' +
        'press Ctrl+C (⌘C on a Mac) to copy it';
    }
  });
  // A change of setting changes the link: the message no longer holds.
  store.onChange(() => {
    field.value = location.href;
    status.textContent = '';
  });
}

/** Writes the backend line: which backend trains and why. */
function showBackend(info) {
  const line = document.getElementById('backend-status');
  switch (info.state) {
    case 'starting':
      line.dataset.backend = 'starting';
      line.textContent = 'Engine loaded; starting the training backend…';
      break;
    case 'ready': {
      const name = info.backend === 'webgpu' ? 'WebGPU' : 'CPU';
      const detail = info.detail ? ` (${info.detail})` : '';
      line.dataset.backend = info.backend;
      line.textContent = `Backend: ${name}${detail} — ${info.reason}`;
      break;
    }
    default:
      line.dataset.backend = 'none';
      line.textContent = `No training backend: ${info.reason}`;
  }
}

async function main() {
  const { values, notices } = parseHash(location.hash);
  const store = new Store(values);
  const charts = new Charts('Loading engine…');

  let space = null;
  const fields = bindSettings(store, {
    arch: (text) => space.validateArch(text),
    arch2: (text) => space.validateArch(text),
    dataset: (text) => checkPageValue('dataset', text),
  });
  const datasets = new DatasetSection({ store });
  space = new SpaceSection({ store, charts, fields });
  const results = new Results();
  const searches = new Searches({ store, charts, results, backendControl: fields.backend.control });
  const darts = new DartsSection({ store, charts, results, searches });
  const predictor = new PredictorSection({ store, charts, searches });
  const pareto = new ParetoSection({ charts, results });
  new AnalysisSection({ store, charts, results });
  const summary = new SummarySection({ store, charts, results });
  let trainer = null;
  const hardware = new HardwareSection({ store, charts, results, trainer: () => trainer });
  showValues(store, fields);
  showLinkNotices(notices, fields);
  applyHide(values.hide);
  store.writeHash();
  bindCopyLink(store);
  const runExports = new RunExports({ searches });
  // The saved runs come back while the engine loads; charts follow it.
  SavedRuns.open().then((saved) => {
    const keeper = new RunKeeper({ searches, saved });
    keeper.restore();
    keeper.onClear(() => darts.saving, () => darts.forgetSaved());
    darts.keepIn(saved);
  });

  // A link pasted or edited in the address bar starts the page afresh from it.
  window.addEventListener('hashchange', () => location.reload());

  let engine;
  let module;
  try {
    ({ engine, module } = await loadEngine());
  } catch (error) {
    const line = document.getElementById('backend-status');
    line.dataset.backend = 'none';
    line.textContent = `The engine could not load: ${messageOf(error)}`;
    charts.setPlaceholder('The engine could not load.');
    return;
  }
  charts.setEngine(engine);
  space.setEngine(engine);
  hardware.setEngine(engine);
  pareto.setEngine(engine);
  summary.setEngine(engine);
  predictor.setEngine(engine);
  runExports.setEngine(engine);
  datasets.setEngine(engine);

  trainer = new Trainer(module, (info) => {
    showBackend(info);
    searches.updateButtons();
  }, (answer) => datasets.answer(answer));
  datasets.setTrainer(trainer);
  searches.setTrainer(trainer);
  store.onChange((key) => {
    if (key === 'backend' && !trainer.busy && store.values.backend !== trainer.preference) {
      trainer.start(store.values.backend);
    }
  });
  trainer.start(store.values.backend);
}

main();
