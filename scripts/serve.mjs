// A small static file server for the page, with no dependencies.
// Binds to 127.0.0.1 only, serves files of the repository (never dot-files
// and never a directory listing), and tells browsers to revalidate every file.
// Where the build left a fresh `name.gz` beside `name` (the engine's wasm),
// clients that accept gzip get that instead: a sixth of the bytes.
//
// As a command: `node scripts/serve.mjs` (port from PORT, default 8080).
// As a module: `startServer({ port: 0 })` resolves to `{ server, origin }`.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.gz': 'application/gzip',
};

/**
 * Maps a request path to a file inside `root`, or null when the path is
 * malformed, names a dot-file or directory, or leaves the root.
 */
async function resolveFile(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment.startsWith('.') || segment.includes('\\'))) {
    return null;
  }
  let candidate = path.join(root, ...segments);
  try {
    if ((await stat(candidate)).isDirectory()) candidate = path.join(candidate, 'index.html');
    const real = await realpath(candidate);
    const realRoot = await realpath(root);
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

/** Whether the client takes gzip-encoded bodies (and did not refuse them with q=0). */
function acceptsGzip(request) {
  const accepted = String(request.headers['accept-encoding'] ?? '');
  return accepted.split(',').some((part) => {
    const [name, ...params] = part.trim().split(';');
    const refused = params.some((param) => /^\s*q=0(\.0*)?\s*$/.test(param));
    return (name === 'gzip' || name === '*') && !refused;
  });
}

/**
 * The precompressed `file.gz` next to `file` (the build writes one for the
 * engine), when it exists and is not older than `file`; else null. A stale
 * copy is never served in place of a newer build.
 */
async function freshGzip(file) {
  if (file.endsWith('.gz')) return null;
  try {
    const [original, compressed] = await Promise.all([stat(file), stat(`${file}.gz`)]);
    return compressed.isFile() && compressed.mtimeMs >= original.mtimeMs ? `${file}.gz` : null;
  } catch {
    return null;
  }
}

async function handle(root, request, response) {
  const headers = { 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return;
  }
  const urlPath = new URL(request.url, 'http://localhost').pathname;
  const file = await resolveFile(root, urlPath);
  if (!file) {
    response.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('Not found\n');
    return;
  }
  const type = MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const compressed = acceptsGzip(request) ? await freshGzip(file) : null;
  const sent = compressed ?? file;
  const { size } = await stat(sent);
  if (compressed) {
    headers['Content-Encoding'] = 'gzip';
  }
  headers.Vary = 'Accept-Encoding';
  response.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': size });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(sent)
    .on('error', () => response.destroy())
    .pipe(response);
}

/**
 * Starts serving `root` on 127.0.0.1:`port` (0 picks a free port).
 * Resolves to `{ server, origin }` once it listens.
 */
export function startServer({ port = 8080, root = REPO_ROOT } = {}) {
  const server = createServer((request, response) => {
    handle(root, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address();
      resolve({ server, origin: `http://127.0.0.1:${bound}` });
    });
  });
}

const runAsCommand = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (runAsCommand) {
  const port = Number(process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`nasplay: PORT=${process.env.PORT} is not a port number (0-65535)`);
    process.exit(2);
  }
  startServer({ port }).then(
    ({ origin }) => console.log(`nasplay: ${origin}/`),
    (error) => {
      console.error(`nasplay: cannot listen on 127.0.0.1:${port}: ${error.message}`);
      process.exit(1);
    },
  );
}
