// Summary statistics of a series of timings, as the report tables show them.
export interface Summary {
  min: number;
  median: number;
  avg: number;
  p95: number;
  max: number;
  n: number;
}

/** Nearest-rank percentile (p in 0..100) of sorted values. */
function percentile(sorted: number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarize(values: number[]): Summary {
  if (values.length === 0) throw new Error('summarize: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return {
    min: sorted[0],
    median,
    avg: values.reduce((a, b) => a + b, 0) / values.length,
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1],
    n: values.length,
  };
}
