// Every candidate evaluated on this page, whatever section evaluated it: the
// data of the multi-objective and analysis sections. No DOM here.

/** The statuses a record may have. */
const STATUSES = ['ok', 'failed'];

/** A finite number, or NaN for anything else (a failed candidate's null). */
function measure(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : NaN;
}

export class Results {
  constructor() {
    this.records = [];
    this.listeners = [];
  }

  /**
   * Adds one evaluation by `method` ("random", "evolution", "regularized",
   * "darts"). `record` is `{ label, accuracy, latency_ms, params, flops,
   * status, train_ms }`: `label` names the architecture (a chain's text form,
   * or a cell's genotype), status is "ok" or "failed", `train_ms` the time
   * spent finding and training it (optional); a measure that is missing or
   * not a finite number is kept as NaN. The stored record gains `method`
   * and `index`, its 1-based position on this page. Tells every listener.
   * Throws on an empty method, a missing label or an unknown status.
   */
  add(method, record) {
    if (typeof method !== 'string' || method.trim() === '') {
      throw new Error(`a result needs the method that found it, got ${JSON.stringify(method)}`);
    }
    if (typeof record?.label !== 'string' || record.label === '') {
      throw new Error(`a ${method} result needs a label naming its architecture`);
    }
    if (!STATUSES.includes(record.status)) {
      throw new Error(
        `the ${method} result ${record.label} has status ${JSON.stringify(record.status)}; ` +
        `use ${STATUSES.join(' or ')}`,
      );
    }
    const stored = Object.freeze({
      index: this.records.length + 1,
      method,
      label: record.label,
      accuracy: measure(record.accuracy),
      latency_ms: measure(record.latency_ms),
      params: measure(record.params),
      flops: measure(record.flops),
      status: record.status,
      train_ms: measure(record.train_ms),
    });
    this.records.push(stored);
    for (const listener of this.listeners) listener(stored);
  }

  /** Every record so far, in the order they were added (a copy). */
  all() {
    return [...this.records];
  }

  /** Calls `listener(record)` after each `add`. */
  onChange(listener) {
    this.listeners.push(listener);
  }
}
