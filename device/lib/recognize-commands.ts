// recognize-commands.ts – RecognizeCommands of TFLM's earlier micro_speech example, in
// TypeScript: averages the model's scores (uint8, i.e. int8 output + 128) over a time
// window, and reports a command when the best average passes the threshold, is not
// suppressed by a recent detection, and enough results are in the window. Same logic,
// same edge cases as native/baseline/recognize_commands.c (the C twin): a fixed queue of
// 50 results (a push into a full queue is dropped, as TFLM does), out-of-order times
// rejected against the OLDEST queued time, label 0 ("silence") never suppresses.
// No allocation per call: results land in the reusable `result` object.

export interface RecognizeOptions {
  averageWindowMs?: number; // 1000
  detectionThreshold?: number; // 200
  suppressionMs?: number; // 1500
  minimumCount?: number; // 3
  categories?: number; // 4 (silence, unknown, yes, no)
}

export interface RecognizeResult {
  /** Index of the found command (0 silence, 1 unknown, 2 yes, 3 no). */
  label: number;
  /** Its average score (0 while too few results are in the window). */
  score: number;
  /** True when this call detected a new command. */
  isNew: boolean;
}

/** TFLM's PreviousResultsQueue capacity. */
export const MAX_RESULTS = 50;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export class RecognizeCommands {
  readonly averageWindowMs: number;
  readonly detectionThreshold: number;
  readonly suppressionMs: number;
  readonly minimumCount: number;
  readonly categories: number;
  readonly result: RecognizeResult = { label: 0, score: 0, isNew: false };
  /** Results dropped because the queue was full (TFLM logs "too many already"). */
  dropped = 0;

  #times: number[] = [];
  #scores: number[] = [];
  #average: number[] = [];
  #front = 0;
  #size = 0;
  #previousTop = 0;
  #previousTopTime = INT32_MIN;

  constructor(options: RecognizeOptions = {}) {
    this.averageWindowMs = options.averageWindowMs ?? 1000;
    this.detectionThreshold = options.detectionThreshold ?? 200;
    this.suppressionMs = options.suppressionMs ?? 1500;
    this.minimumCount = options.minimumCount ?? 3;
    this.categories = options.categories ?? 4;
    for (let i = 0; i < MAX_RESULTS; i++) this.#times.push(0);
    for (let i = 0; i < MAX_RESULTS * this.categories; i++) this.#scores.push(0);
    for (let i = 0; i < this.categories; i++) this.#average.push(0);
  }

  /** Back to the constructed state (empty window, previous top "silence"). */
  reset(): void {
    this.#front = 0;
    this.#size = 0;
    this.#previousTop = 0;
    this.#previousTopTime = INT32_MIN;
    this.dropped = 0;
    this.result.label = 0;
    this.result.score = 0;
    this.result.isNew = false;
  }

  /**
   * Feeds the latest scores (categories values 0..255, read from scores[offset..]) at
   * timeMs (int32 ms). Returns false, leaving `result` untouched, when timeMs is earlier
   * than the oldest result still in the window (TFLM's kTfLiteError).
   */
  process(scores: ArrayLike<number>, offset: number, timeMs: number): boolean {
    const cats = this.categories;
    const times = this.#times;
    const stored = this.#scores;
    if (this.#size > 0 && timeMs < times[this.#front]) return false;

    if (this.#size >= MAX_RESULTS) {
      this.dropped++;
    } else {
      const slot = (this.#front + this.#size) % MAX_RESULTS;
      times[slot] = timeMs;
      for (let i = 0; i < cats; i++) stored[slot * cats + i] = scores[offset + i] & 0xff;
      this.#size++;
    }
    // Drop results that fell out of the averaging window.
    const limit = timeMs - this.averageWindowMs;
    while (this.#size > 0 && times[this.#front] < limit) {
      this.#front = (this.#front + 1) % MAX_RESULTS;
      this.#size--;
    }

    const r = this.result;
    const count = this.#size;
    const earliest = times[this.#front];
    if (count < this.minimumCount || timeMs - earliest < Math.trunc(this.averageWindowMs / 4)) {
      r.label = this.#previousTop;
      r.score = 0;
      r.isNew = false;
      return true;
    }

    const avg = this.#average;
    for (let i = 0; i < cats; i++) avg[i] = 0;
    for (let k = 0; k < count; k++) {
      const base = ((this.#front + k) % MAX_RESULTS) * cats;
      for (let i = 0; i < cats; i++) avg[i] += stored[base + i];
    }
    let top = 0;
    let topScore = 0;
    for (let i = 0; i < cats; i++) {
      const a = Math.trunc(avg[i] / count);
      if (a > topScore) {
        topScore = a;
        top = i;
      }
    }

    const sinceLast =
      this.#previousTop === 0 || this.#previousTopTime === INT32_MIN ? INT32_MAX : timeMs - this.#previousTopTime;
    if (topScore > this.detectionThreshold && (top !== this.#previousTop || sinceLast > this.suppressionMs)) {
      this.#previousTop = top;
      this.#previousTopTime = timeMs;
      r.isNew = true;
    } else {
      r.isNew = false;
    }
    r.label = top;
    r.score = topScore;
    return true;
  }
}

/** Deterministic synthetic score stream shared with the C twin (same LCG, same shape):
 * step t (20 ms apart) gets 4 uint8 scores. Segments of a dominant label with ramps,
 * ties, gaps and noise exercise threshold, suppression, window and minimum count. */
export class ScoreStream {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  #next(): number {
    this.#state = (Math.imul(this.#state, 1664525) + 1013904223) >>> 0;
    return this.#state >>> 24; // 0..255
  }

  /** Fills out[offset, +4) with the scores of step t. */
  fill(t: number, out: number[], offset: number): void {
    const segment = Math.trunc(t / 90); // 1.8 s segments
    const phase = t % 90;
    const label = (segment * 7 + 3) % 5; // 4 = no dominant label (noise only)
    const level = 196 + ((segment * 37) % 60); // dominant level 196..255
    for (let i = 0; i < 4; i++) {
      let v = this.#next() >> 2; // background 0..63
      if (i === label && phase < 30 + (segment % 3) * 30) v = level - (this.#next() >> 4);
      out[offset + i] = v & 0xff;
    }
  }
}
