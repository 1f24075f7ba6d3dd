// Sections 1 and 2: the search space (operation costs) and the architecture
// representation (text form, mutation, crossover, random sampling).
import { checkValue } from './state.js';
import { element, formatCount, formatInteger, messageOf, Notice } from './ui.js';

/** The digits data: 8x8 greyscale images of 10 classes. */
const DIGITS = { inputSize: 8, inChannels: 1, classes: 10 };

/** Mutation probability of the Mutate button, as in the tutorial's example. */
const MUTATE_PROB = 0.5;

const KIND_NAMES = { conv: 'convolution', pool: 'pooling', skip: 'skip' };

export class SpaceSection {
  /**
   * `store` holds the settings, `charts` draws, `fields` maps setting keys
   * to their controls and notices (`{ control, notice }`).
   */
  constructor({ store, charts, fields }) {
    this.store = store;
    this.fields = fields;
    this.charts = charts;
    this.engine = null;
    this.clicks = 0;

    this.opsChart = charts.add('chart-ops', 'ops_scatter');
    this.archChart = charts.add('chart-arch', 'arch_graph');
    this.opsBody = document.querySelector('#ops-table tbody');
    this.opsCaption = document.getElementById('ops-caption');
    this.archCost = document.getElementById('arch-cost');
    this.log = document.getElementById('arch-log');
    this.buttons = ['mutate', 'crossover', 'random-arch'].map((id) => document.getElementById(id));
    this.buttonNotice = Notice.after(this.log);
    this.bindOps();
    this.bindButtons();
    this.setButtonsEnabled(false);

    store.onChange((key) => {
      if (key === 'ops' || key === 'width') this.renderOps();
      if (key === 'arch' || key === 'width') this.renderArch();
    });
  }

  /** Sets the engine's exports and draws both sections. */
  setEngine(engine) {
    this.engine = engine;
    this.setButtonsEnabled(true);
    this.renderOps();
    this.renderArch();
  }

  /**
   * Checks an architecture text: with the engine once it is loaded (its
   * message names the item and position), by name before that.
   */
  validateArch(text) {
    if (!this.engine) return checkValue('arch', text);
    try {
      this.archInfo(text);
      return { value: text.split(',').map((item) => item.trim()).join(',') };
    } catch (error) {
      return { message: messageOf(error) };
    }
  }

  archInfo(text) {
    const { inChannels, classes, inputSize } = DIGITS;
    const width = this.store.values.width;
    return JSON.parse(this.engine.arch_info(text, inChannels, classes, width, inputSize));
  }

  bindOps() {
    this.opsPicker = document.querySelector('[data-control="ops"]');
    this.opsNotice = Notice.after(this.opsPicker);
    this.opBoxes = [...this.opsPicker.querySelectorAll('input[data-op]')];
    this.showOps();
    for (const box of this.opBoxes) {
      box.addEventListener('change', () => {
        const enabled = this.opBoxes.filter((each) => each.checked).map((each) => each.dataset.op);
        if (enabled.length === 0) {
          box.checked = true;
          this.opsNotice.show(`Keep at least one operation: ${box.dataset.op} stays on.`);
          return;
        }
        this.opsNotice.clear();
        this.store.set('ops', enabled);
      });
    }
  }

  /** Ticks the boxes of the enabled operations. */
  showOps() {
    for (const box of this.opBoxes) {
      box.checked = this.store.values.ops.includes(box.dataset.op);
    }
  }

  bindButtons() {
    const [mutate, crossover, random] = this.buttons;
    mutate.addEventListener('click', () => this.transform('Mutation', (arch, seed, ops) => ({
      child: this.engine.mutate_arch(arch, MUTATE_PROB, seed, ops),
      how: `each layer redrawn with probability ${MUTATE_PROB}`,
    })));
    crossover.addEventListener('click', () => this.transform('Crossover', (arch, seed) => {
      const result = JSON.parse(this.engine.crossover_arch(arch, this.store.values.arch2, seed));
      const how = result.skipped
        ? 'no cut is possible, so the first parent is copied'
        : `layers 1–${result.point} from the first parent, the rest from the second`;
      return { child: result.child, how };
    }));
    random.addEventListener('click', () => this.transform('Random draw', (arch, seed, ops) => ({
      child: this.engine.random_arch(this.store.values.depth, seed, ops),
      how: `${this.store.values.depth} layers from the enabled operations`,
    })));
  }

  setButtonsEnabled(enabled) {
    for (const button of this.buttons) button.disabled = !enabled;
  }

  /**
   * Runs one representation button: `make(arch, seed, opsCsv)` returns
   * `{ child, how }`. The seed is the page seed plus the click count.
   */
  transform(name, make) {
    const { control } = this.fields.arch;
    if (control.getAttribute('aria-invalid') === 'true') {
      this.buttonNotice.show(`${name} needs a valid architecture: fix the text above first.`);
      control.focus();
      return;
    }
    this.clicks += 1;
    const values = this.store.values;
    const seed = (values.seed + this.clicks) >>> 0;
    try {
      const { child, how } = make(values.arch, seed, values.ops.join(','));
      this.buttonNotice.clear();
      this.log.textContent =
        `${name} #${this.clicks} (seed ${values.seed} + ${this.clicks}), ${how}: ` +
        `${values.arch} → ${child}`;
      control.value = child;
      this.fields.arch.notice.clear();
      this.store.set('arch', child);
    } catch (error) {
      this.buttonNotice.show(`${name} failed: ${messageOf(error)}`);
    }
  }

  renderOps() {
    this.showOps();
    if (!this.engine) return;
    const { width, ops: enabled } = this.store.values;
    const { inputSize, inChannels } = DIGITS;
    let table;
    try {
      table = JSON.parse(this.engine.ops_table(width, inputSize, inChannels));
      this.opsNotice.clear();
    } catch (error) {
      this.opsNotice.show(`The operation costs could not be computed: ${messageOf(error)}`);
      return;
    }

    this.charts.show(this.opsChart, table.filter((row) => enabled.includes(row.op)));
    this.opsCaption.textContent =
      `Exact costs of one layer at width ${width} on an ${inputSize}×${inputSize} input`;
    const rows = table.map((row) => {
      const tr = document.createElement('tr');
      const on = enabled.includes(row.op);
      if (!on) tr.className = 'off';
      tr.append(
        element('td', { text: on ? row.op : `${row.op} (off)` }),
        element('td', { text: KIND_NAMES[row.kind] ?? row.kind }),
        element('td', { text: formatInteger(row.params) }),
        element('td', { text: formatCount(row.flops) }),
      );
      return tr;
    });
    this.opsBody.replaceChildren(...rows);
  }

  renderArch() {
    if (!this.engine) return;
    const { arch, width } = this.store.values;
    let info;
    try {
      info = this.archInfo(arch);
    } catch (error) {
      this.fields.arch.notice.show(messageOf(error));
      return;
    }
    this.charts.show(this.archChart, { ops: info.ops });
    this.archCost.textContent =
      `Whole network on digits (1 input channel, 10 classes, width ${width}): ` +
      `${formatInteger(info.params)} parameters, ${formatCount(info.flops)} FLOPs per image.`;
  }
}
