// The bench page's worker: starts the engine from the compiled module it is
// sent, sets up one backend, and measures the figures it is asked for one at
// a time, reporting each as it is done. One worker per backend: WebGPU can
// be set up once per worker.
//
// In:  { type: "bench", module, backend, figures: [{ kind, spec }] }
//        backend: cpu | webgpu; kind: matmul | training | memory
// Out: { type: "ready", backend, detail }
//      { type: "candidate", index, number }   during a memory figure
//      { type: "figure", index, result }      after each figure
//      { type: "done" } | { type: "error", message }

function post(message) {
  self.postMessage(message);
}

function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

/** The engine call that measures each kind of figure; each resolves JSON. */
function measurers(engine) {
  return {
    matmul: (spec) => engine.bench_matmul(spec),
    training: (spec) => engine.bench_training(spec),
    memory: (spec, index) =>
      engine.bench_memory(spec, (number) => post({ type: 'candidate', index, number })),
  };
}

async function bench({ module, backend, figures }) {
  try {
    const engine = await import('./pkg/nasplay.js');
    await engine.default({ module_or_path: module });
    const info = JSON.parse(await engine.init_backend(backend));
    post({ type: 'ready', ...info });

    const measure = measurers(engine);
    for (const [index, { kind, spec }] of figures.entries()) {
      const result = JSON.parse(await measure[kind](JSON.stringify(spec), index));
      post({ type: 'figure', index, result });
    }
    post({ type: 'done' });
  } catch (error) {
    post({ type: 'error', message: messageOf(error) });
  }
}

self.addEventListener('message', (event) => {
  if (event.data.type === 'bench') {
    bench(event.data);
  } else {
    post({ type: 'error', message: `unknown message ${event.data.type}` });
  }
});
