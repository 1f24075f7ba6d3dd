// The static server: precompressed files are served only to clients that
// accept gzip, and only while they are not older than the file they stand for.
import assert from 'node:assert/strict';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';

import { startServer } from '../../scripts/serve.mjs';

const BODY = Buffer.from('\0asm engine bytes '.repeat(200));
let root;
let server;
let origin;

function get(urlPath, headers = {}) {
  return new Promise((resolve, reject) => {
    request(`${origin}${urlPath}`, { headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ response, body: Buffer.concat(chunks) }));
    }).on('error', reject).end();
  });
}

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'nasplay-serve-'));
  await writeFile(path.join(root, 'engine.wasm'), BODY);
  await writeFile(path.join(root, 'engine.wasm.gz'), gzipSync(BODY));
  await writeFile(path.join(root, 'old.wasm'), BODY);
  await writeFile(path.join(root, 'old.wasm.gz'), gzipSync(Buffer.from('stale')));
  const past = new Date(Date.now() - 60_000);
  await utimes(path.join(root, 'old.wasm.gz'), past, past);
  ({ server, origin } = await startServer({ port: 0, root }));
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

test('a client that accepts gzip gets the precompressed file with its own type', async () => {
  const { response, body } = await get('/engine.wasm', { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(response.headers['content-encoding'], 'gzip');
  assert.equal(response.headers['content-type'], 'application/wasm');
  assert.equal(response.headers.vary, 'Accept-Encoding');
  assert.ok(body.length < BODY.length / 4, `${body.length} bytes`);
  assert.deepEqual(gunzipSync(body), BODY);
});

test('a client that does not accept gzip, or refuses it, gets the plain file', async () => {
  for (const headers of [{}, { 'Accept-Encoding': 'identity' }, { 'Accept-Encoding': 'gzip;q=0, br' }]) {
    const { response, body } = await get('/engine.wasm', headers);
    assert.equal(response.headers['content-encoding'], undefined, JSON.stringify(headers));
    assert.deepEqual(body, BODY);
  }
});

test('a precompressed copy older than its file is never served', async () => {
  const { response, body } = await get('/old.wasm', { 'Accept-Encoding': 'gzip' });
  assert.equal(response.headers['content-encoding'], undefined);
  assert.deepEqual(body, BODY);
});

test('a .gz file asked for by name is sent as it is', async () => {
  const { response, body } = await get('/engine.wasm.gz', { 'Accept-Encoding': 'gzip' });
  assert.equal(response.headers['content-encoding'], undefined);
  assert.equal(response.headers['content-type'], 'application/gzip');
  assert.deepEqual(gunzipSync(body), BODY);
});
