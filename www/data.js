// The Dataset menu: the embedded digits, the bundled MNIST and Fashion-MNIST
// test sets (fetched from this page's own server), or your own IDX or
// CIFAR-10 files, read by this browser and sent nowhere. The training worker
// parses every file with the engine's readers and answers with a summary,
// or with a message saying what is wrong with which file.
import { formatInteger, messageOf, Notice } from './ui.js';

/** The bundled IDX sets: their files in data/ on this page's own server. */
const BUNDLED_FILES = Object.freeze({
  mnist: ['mnist-t10k-images-idx3-ubyte.gz', 'mnist-t10k-labels-idx1-ubyte.gz'],
  fashion: [
    'fashion-mnist-test10k-images-idx3-ubyte.gz',
    'fashion-mnist-test10k-labels-idx1-ubyte.gz',
  ],
});

/** How the page names each dataset. */
const TITLES = Object.freeze({
  digits: 'Digits 8×8',
  mnist: 'MNIST test set',
  fashion: 'Fashion-MNIST test set',
  upload: 'Your own files',
});

/** The files of bundled set `name` as `{ name, bytes }`; throws a sentence naming a failing file. */
function fetchBundled(name) {
  return Promise.all(BUNDLED_FILES[name].map(async (file) => {
    let response;
    try {
      response = await fetch(new URL(`../data/${file}`, import.meta.url));
    } catch (error) {
      throw new Error(`data/${file} could not be fetched (${messageOf(error)})`);
    }
    if (!response.ok) {
      throw new Error(`data/${file} answered ${response.status}; the page's server must serve ` +
        'the data folder');
    }
    return { name: file, bytes: await response.arrayBuffer() };
  }));
}

/** "1,797 grayscale images of 8×8": what a summary holds, in words. */
function imagesText({ images, size, channels }) {
  const kind = channels === 3 ? 'RGB' : 'grayscale';
  return `${formatInteger(images)} ${kind} images of ${size}×${size}`;
}

export class DatasetSection {
  /**
   * `store` holds the settings `dataset` and `n`. Fetching a bundled set
   * starts at once; the files reach the engine once `setTrainer` is called.
   */
  constructor({ store }) {
    this.store = store;
    this.trainer = null;
    this.maxBytes = Infinity;
    this.bundled = new Map();
    this.summaries = new Map();
    this.requests = 0;
    this.latest = null;
    this.uploaded = null;

    this.line = document.getElementById('dataset-summary');
    this.budgetLine = document.getElementById('budget-dataset');
    this.upload = document.getElementById('dataset-upload');
    this.input = document.getElementById('dataset-files');
    this.zone = document.getElementById('dataset-drop');
    this.notice = new Notice(document.getElementById('dataset-notice'));

    this.input.addEventListener('change', () => {
      const files = [...this.input.files];
      this.input.value = '';
      this.readFiles(files);
    });
    this.bindDrop();
    store.onChange((key) => {
      if (key === 'dataset') this.select();
      if (key === 'n') this.showSummary();
    });
    this.select();
  }

  /** Takes the main thread's engine, for the size cap it enforces. */
  setEngine(engine) {
    this.maxBytes = engine.max_dataset_bytes();
  }

  /** Sends the current dataset to the trainer, which keeps it for every worker it starts. */
  setTrainer(trainer) {
    this.trainer = trainer;
    if (this.latest) trainer.loadDataset(this.latest);
  }

  /**
   * Drops onto the zone read the files; a file dropped anywhere else on the
   * page is ignored rather than opened in place of the page.
   */
  bindDrop() {
    const carriesFiles = (event) => event.dataTransfer?.types.includes('Files');
    for (const type of ['dragenter', 'dragover']) {
      this.zone.addEventListener(type, (event) => {
        event.preventDefault();
        this.zone.classList.add('dragging');
      });
    }
    this.zone.addEventListener('dragleave', () => this.zone.classList.remove('dragging'));
    this.zone.addEventListener('drop', (event) => {
      event.preventDefault();
      this.zone.classList.remove('dragging');
      this.readFiles([...(event.dataTransfer?.files ?? [])]);
    });
    for (const type of ['dragover', 'drop']) {
      document.addEventListener(type, (event) => {
        if (carriesFiles(event)) event.preventDefault();
      });
    }
  }

  /** Loads the dataset the menu names: a new choice clears the last one's notice. */
  select() {
    const name = this.store.values.dataset;
    this.upload.hidden = name !== 'upload';
    this.notice.clear();
    this.showSummary();
    if (name === 'digits') this.send({ name, files: [] });
    if (name === 'upload' && this.uploaded) this.send(this.uploaded);
    if (Object.hasOwn(BUNDLED_FILES, name)) this.loadBundled(name);
  }

  async loadBundled(name) {
    if (!this.bundled.has(name)) this.bundled.set(name, fetchBundled(name));
    let files;
    try {
      files = await this.bundled.get(name);
    } catch (error) {
      this.bundled.delete(name);
      if (this.store.values.dataset === name) {
        this.notice.show(`The ${TITLES[name]} could not be loaded: ${messageOf(error)}`);
      }
      return;
    }
    if (this.store.values.dataset === name) this.send({ name, files });
  }

  /** Reads the user's files (never more than the engine's cap) and hands them to the engine. */
  async readFiles(files) {
    if (files.length === 0) return;
    this.notice.clear();
    const total = files.reduce((sum, file) => sum + file.size, 0);
    if (total > this.maxBytes) {
      this.notice.show(`The files hold ${formatInteger(total)} bytes, more than the ` +
        `${formatInteger(this.maxBytes)} bytes a dataset may hold here; choose fewer or ` +
        'smaller files.');
      return;
    }
    let read;
    try {
      read = await Promise.all(files.map(async (file) => (
        { name: file.name, bytes: await file.arrayBuffer() })));
    } catch (error) {
      this.notice.show(`The files could not be read: ${messageOf(error)}`);
      return;
    }
    this.send({ name: 'upload', files: read });
  }

  /** Hands `{ name, files }` to the engine; only the latest request's answer is shown. */
  send(request) {
    this.requests += 1;
    this.latest = { id: this.requests, ...request };
    this.trainer?.loadDataset(this.latest);
  }

  /** Takes the worker's answer: `{ id, summary }` or `{ id, message }`. */
  answer({ id, summary, message }) {
    if (summary) this.summaries.set(summary.name, summary);
    if (id !== this.latest?.id) return;
    if (summary) {
      if (summary.name === 'upload') this.uploaded = this.latest;
    } else {
      this.notice.show(message);
      // The engine kept the files that worked before; new workers must get those.
      if (this.latest.name === 'upload' && this.uploaded) this.send(this.uploaded);
    }
    this.showSummary();
  }

  /** Writes what the current dataset holds, and how much of it a search uses. */
  showSummary() {
    const name = this.store.values.dataset;
    const summary = this.summaries.get(name);
    this.line.dataset.state = summary ? 'loaded' : 'waiting';
    if (!summary) {
      this.line.textContent = name === 'upload'
        ? 'Your own files: none loaded yet. Choose an IDX images file and its labels file, ' +
          'or CIFAR-10 batches, below.'
        : `${TITLES[name]}: loading…`;
      this.budgetLine.textContent = `Data: ${TITLES[name]} (not loaded yet).`;
      return;
    }
    const limit = this.store.values.n;
    const files = name === 'upload' ? ` (${summary.files.join(', ')})` : '';
    const counts = summary.class_counts
      .map((count, label) => `${label}: ${formatInteger(count)}`)
      .join(', ');
    const used = summary.images > limit
      ? `searches use ${formatInteger(limit)} of them, a sample that keeps every class's ` +
        'share, drawn from the seed'
      : 'searches use them all';
    this.line.textContent = `${TITLES[name]}${files}: ${imagesText(summary)}, ` +
      `${summary.classes} classes (${counts}); ${used}.`;
    const usedImages = { ...summary, images: Math.min(summary.images, limit) };
    this.budgetLine.textContent = `Data: ${TITLES[name]}, ${imagesText(usedImages)} of ` +
      `${summary.classes} classes, split by class into training and validation sets from the seed.`;
  }
}
