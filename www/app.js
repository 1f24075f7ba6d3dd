// The page's entry point: reads the settings from the URL hash, wires every
// control in one place, then loads the engine and the training worker. The
// controls work before the engine has loaded.
import { Charts } from './charts.js';
import { loadEngine, Trainer } from './engine.js';
import { Searches } from './search.js';
import { SpaceSection } from './space.js';
import { SETTINGS, checkValue, formatHash, formatValue, parseHash } from './state.js';
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
  return `${label} “${raw}” ${problem}. ${kept}`;
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
  for (const { key, message } of notices) fields[key]?.notice.show(message);
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
  });
  space = new SpaceSection({ store, charts, fields });
  const searches = new Searches({ store, charts, backendControl: fields.backend.control });
  showValues(store, fields);
  showLinkNotices(notices, fields);
  store.writeHash();

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

  const trainer = new Trainer(module, (info) => {
    showBackend(info);
    searches.updateButtons();
  });
  searches.setTrainer(trainer);
  store.onChange((key) => {
    if (key === 'backend' && !trainer.busy && store.values.backend !== trainer.preference) {
      trainer.start(store.values.backend);
    }
  });
  trainer.start(store.values.backend);
}

main();
