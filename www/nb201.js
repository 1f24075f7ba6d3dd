// The NAS-Bench-201 table, fetched from this page's own site the first time a
// section needs it and handed to the engine, which parses it once and keeps it.
// Its text is kept too, for the training worker, which races the predictor.
import { afterPaint } from './ui.js';

const TABLE_URL = new URL('../data/nb201_cifar10.csv', import.meta.url);

let loading = null;

/**
 * Reads `response`'s body as text, calling `onProgress(received, total)`
 * after each chunk (`total` is null when the server did not say).
 */
async function readText(response, onProgress) {
  const length = Number(response.headers.get('Content-Length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  const reader = response.body.getReader();
  const chunks = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    onProgress(received, total);
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return new TextDecoder().decode(bytes);
}

async function fetchAndParse(engine, onProgress) {
  const response = await fetch(TABLE_URL);
  if (!response.ok) {
    throw new Error(`the NAS-Bench-201 table (${TABLE_URL.pathname}) answered ` +
      `${response.status} ${response.statusText}`.trim());
  }
  const text = await readText(response, (received, total) =>
    onProgress({ stage: 'download', received, total }));
  onProgress({ stage: 'parse' });
  await afterPaint();
  return { ...JSON.parse(engine.nb201_load(text)), text };
}

/**
 * Resolves to `{ cells, best, text }` (the table's most accurate row, and the
 * CSV text for the training worker's own engine) once the engine holds the
 * table. The first call downloads and parses it, reporting
 * `onProgress({ stage: "download", received, total })` and then
 * `{ stage: "parse" }`; later calls share that work. After a failure the
 * next call tries again.
 */
export function loadNb201Table(engine, onProgress = () => {}) {
  loading ??= fetchAndParse(engine, onProgress).catch((error) => {
    loading = null;
    throw error;
  });
  return loading;
}
