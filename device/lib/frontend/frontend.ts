// frontend.ts – the micro_speech audio front end in pure TypeScript: TFLM's signal-library
// graph (window, FFT auto-scale, int16 RFFT bit-exact with TFLM's fixed-point one, energy,
// mel filter bank, square root, spectral subtraction, PCAN, log, then the int32 tail),
// bit-exact with the C engine running audio_preprocessor_int8.tflite. Every parameter and
// table is read from the model bytes at construction (graph.ts); frame() then runs one
// 30 ms frame with no allocation. Stateful like the model: reset() starts a new clip.
//
// Written for XS 13.3 (an interpreter without a JIT): every internal buffer is a plain
// dense Array (an element access there is a direct slot read, while a TypedArray element
// goes through a host accessor call), hot loops are inlined by hand with locals only,
// and int16/uint32/uint64 arithmetic of the C code is reproduced exactly:
// - int16 storage: (x << 16) >> 16 where a value that may have wrapped feeds a non-linear
//   step (a rounding shift, a comparison); pure add/sub chains wrap once at the end.
// - uint32: >>> 0. 64-bit products and sums: exact in doubles because graph.ts and the
//   constructor prove every such value stays below 2^53; the one site that can exceed it
//   (PCAN with a gain that sign-extends) takes an exact split path.
import { readFrontendGraph, TAIL_ADD, TAIL_DIV, TAIL_MAX, TAIL_MIN, TAIL_MUL, type FrontendParams } from './graph.ts';
import { ModelError } from './tflite.ts';

const TWO32 = 4294967296;
const TWO53 = 9007199254740992;

/** The FFT passes for a complex length n = 2^b in execution order: radix 4, with one
 * radix-2 pass first when b is odd (rounding point R4 of native/engine/kernels/signal/rfft.c). */
function fftPasses(n: number): number[] {
  let bits = 0;
  while (2 ** bits < n) bits++;
  if (n < 2 || 2 ** bits !== n || bits > 16)
    throw new ModelError(`FFT length ${2 * n} unsupported (a power of two, 4..2^17)`);
  const radix: number[] = [];
  if (bits & 1) radix.push(2);
  for (let b = bits & 1; b < bits; b += 2) radix.push(4);
  return radix;
}

/** floor(0.5 + 32767 * v): the Q15 twiddle rounding (R5). */
function q15(v: number): number {
  return Math.floor(0.5 + 32767 * v);
}

/** TFLM's log2 correction table: floor(65536 * (log2(1 + i/128) - i/128) + 0.5), i ≤ 128.
 * The nearest entry is 0.0015 from a rounding boundary, far beyond any libm's error. */
function log2CorrectionTable(): number[] {
  const t: number[] = [];
  for (let i = 0; i <= 128; i++) {
    const f = i / 128;
    t.push(Math.floor(65536 * (Math.log2(1 + f) - f) + 0.5));
  }
  t.push(0);
  return t;
}

function filled(n: number, v = 0): number[] {
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(v);
  return a;
}

/** floor((hi * 2^32 + lo) / 2^s) mod 2^32 for hi, lo < 2^32, 0 ≤ s ≤ 63. */
export function shr64mod32(hi: number, lo: number, s: number): number {
  if (s === 0) return lo >>> 0;
  if (s < 32) return ((lo >>> s) | (hi << (32 - s))) >>> 0;
  return hi >>> (s - 32);
}

/** (uint32)((a * b) >> s) for a, b < 2^32 as C computes it in uint64 (exact). */
export function mulShr64(a: number, b: number, s: number): number {
  const bh = Math.floor(b / 65536);
  const bl = b - bh * 65536;
  const A = a * bh; // < 2^48
  const B = a * bl; // < 2^48
  const am = A % 65536;
  const t = am * 65536 + B; // < 2^49
  const lo = t % TWO32;
  const hi = ((A - am) / 65536 + Math.floor(t / TWO32)) % TWO32;
  return shr64mod32(hi, lo, s);
}

export class AudioFrontend {
  /** Samples per frame (480) and features per frame (40). */
  readonly frameSamples: number;
  readonly features: number;
  readonly #windowShift: number;
  readonly #numChannels: number;
  readonly #ss: FrontendParams['ss'];
  readonly #snrShift: number;
  readonly #logCorrectionBits: number;
  readonly #logOutputScale: number;

  // FFT plan
  readonly #n: number; // complex FFT length (fft_length / 2)
  readonly #radix: number[]; // per pass, execution order
  readonly #twr: number[];
  readonly #twi: number[];
  readonly #stwr: number[];
  readonly #stwi: number[];
  /** input sample i goes to work[#dst[i]] (the passes' input order, re/im interleaved) */
  readonly #dst: number[];
  /** work positions that only ever hold zero padding */
  readonly #pad: number[];
  readonly #work: number[];
  readonly #specRe: number[];
  readonly #specIm: number[];
  // energy → filter-bank input: runs of [position, bin, length]
  readonly #runs: number[];
  readonly #fbIn: number[];
  // filter bank (+ square root) output, then the per-channel stages
  readonly #fbW: number[];
  readonly #fbU: number[];
  readonly #fbF: number[];
  readonly #fbS: number[];
  readonly #fbN: number[];
  readonly #chan: number[];
  readonly #noise: number[];
  readonly #lut: number[];
  readonly #logT: number[];
  readonly #pow2: number[];
  readonly #win: number[];
  readonly #tailKind: number[];
  readonly #tailValue: number[];
  readonly #tailLo: number[];
  readonly #tailHi: number[];

  /** model: the bytes of audio_preprocessor_int8.tflite (e.g. the flash asset view). */
  constructor(model: Uint8Array) {
    // Only scalars and the tables frame() reads are kept: the parsed graph is dropped.
    const p = readFrontendGraph(model);
    this.frameSamples = p.frameSamples;
    this.features = p.outputs;
    this.#windowShift = p.windowShift;
    this.#numChannels = p.numChannels;
    this.#ss = p.ss;
    this.#snrShift = p.snrShift;
    this.#logCorrectionBits = p.logCorrectionBits;
    this.#logOutputScale = p.logOutputScale;
    this.#win = p.window as number[];

    const n = p.fftLength / 2;
    this.#n = n;
    const radix = fftPasses(n);
    this.#radix = radix;
    // Twiddles (R5): the double expressions TFLM's tables are rounded from, in Q15.
    const pi = Math.PI;
    this.#twr = [];
    this.#twi = [];
    for (let i = 0; i < n; i++) {
      const phase = (-2 * pi * i) / n;
      this.#twr.push(q15(Math.cos(phase)));
      this.#twi.push(q15(Math.sin(phase)));
    }
    this.#stwr = [];
    this.#stwi = [];
    for (let i = 0; i < n / 2; i++) {
      const phase = -pi * ((i + 1) / n + 0.5);
      this.#stwr.push(q15(Math.cos(phase)));
      this.#stwi.push(q15(Math.sin(phase)));
    }
    // Input order of the decimation in time: slot j holds the input pair whose index is
    // j's mixed-radix digits (pass s's digit has weight span_s) with the weights reversed
    // (n / (span_s * radix_s)); all powers of two, so the digits are bit fields.
    const slotOfPair = filled(n, -1);
    for (let j = 0; j < n; j++) {
      let pair = 0;
      let span = 1;
      for (let s = 0; s < radix.length; s++) {
        const r = radix[s];
        pair += (Math.floor(j / span) % r) * (n / (span * r));
        span *= r;
      }
      slotOfPair[pair] = j;
    }
    this.#dst = [];
    for (let i = 0; i < p.frameSamples; i++) this.#dst.push(2 * slotOfPair[i >> 1] + (i & 1));
    this.#pad = [];
    for (let i = p.frameSamples; i < 2 * n; i++) this.#pad.push(2 * slotOfPair[i >> 1] + (i & 1));
    this.#work = filled(2 * n);
    this.#specRe = filled(n + 1);
    this.#specIm = filled(n + 1);

    // The filter bank's input: constants stay put, energy positions are rewritten per frame.
    this.#fbIn = p.spectrumConst as number[];
    this.#runs = [];
    let maxIn = 0;
    const source = p.spectrumSource;
    for (let pos = 0; pos < source.length; pos++) {
      const bin = source[pos];
      if (bin < 0) {
        if (p.spectrumConst[pos] > maxIn) maxIn = p.spectrumConst[pos];
        continue;
      }
      maxIn = Math.max(maxIn, 2147483648); // re^2 + im^2 <= 2^31
      const r = this.#runs;
      const last = r.length - 3;
      if (last >= 0 && r[last] + r[last + 2] === pos && r[last + 1] + r[last + 2] === bin) r[last + 2]++;
      else r.push(pos, bin, 1);
    }
    this.#fbW = p.fbWeights as number[];
    this.#fbU = p.fbUnweights as number[];
    this.#fbF = p.fbFreqStarts as number[];
    this.#fbS = p.fbWeightStarts as number[];
    this.#fbN = p.fbWidths as number[];
    // Each channel sum is exact in a double when every weight is non-negative (TFLM's
    // modular uint64 sum is then the plain sum) and the largest possible sum < 2^53.
    for (let ch = 0; ch <= p.numChannels; ch++) {
      let bound = 0;
      for (let j = 0; j < p.fbWidths[ch]; j++) {
        const w = p.fbWeights[p.fbWeightStarts[ch] + j];
        if (w < 0) throw new ModelError('negative filter-bank weights are not supported by the TypeScript front end');
        bound += w;
      }
      if (ch > 0) {
        for (let j = 0; j < p.fbWidths[ch - 1]; j++) {
          const u = p.fbUnweights[p.fbWeightStarts[ch - 1] + j];
          if (u < 0) throw new ModelError('negative filter-bank weights are not supported by the TypeScript front end');
          bound += u;
        }
      }
      if (bound * maxIn >= TWO53) throw new ModelError(`filter-bank channel ${ch} could exceed 2^53`);
    }
    this.#chan = filled(p.numChannels + 1);
    this.#noise = filled(p.ss.numChannels);
    this.#lut = p.pcanLut as number[];
    this.#logT = log2CorrectionTable();
    this.#pow2 = [];
    for (let i = 0; i < 32; i++) this.#pow2.push(2 ** i);
    this.#tailKind = p.tail.map((s) => s.kind);
    this.#tailValue = p.tail.map((s) => s.value);
    this.#tailLo = p.tail.map((s) => s.lo);
    this.#tailHi = p.tail.map((s) => s.hi);
  }

  /** Forget the noise estimate: the next frame starts a new clip (a fresh interpreter). */
  reset(): void {
    const noise = this.#noise;
    for (let i = 0; i < noise.length; i++) noise[i] = 0;
  }

  /** One frame: samples[offset, offset + frameSamples) → features into out[outOffset, +40). */
  frame(samples: Int16Array, offset: number, out: Int8Array, outOffset: number): void {
    this.#windowScale(samples, offset);
    this.#cfft();
    this.#split();
    this.#energy();
    this.#filterBank();
    this.#channels(out, outOffset);
  }

  /** frame() with clock() read between the stages; adds each stage's span to
   * spans[0..5] (window+scale, complex FFT, real split, energy, filter bank+sqrt,
   * channels+tail). clock returns int32 ticks (spans taken as (b - a) >>> 0). */
  frameProfiled(
    samples: Int16Array,
    offset: number,
    out: Int8Array,
    outOffset: number,
    clock: () => number,
    spans: number[],
  ): void {
    const t0 = clock();
    this.#windowScale(samples, offset);
    const t1 = clock();
    this.#cfft();
    const t2 = clock();
    this.#split();
    const t3 = clock();
    this.#energy();
    const t4 = clock();
    this.#filterBank();
    const t5 = clock();
    this.#channels(out, outOffset);
    const t6 = clock();
    spans[0] += (t1 - t0) >>> 0;
    spans[1] += (t2 - t1) >>> 0;
    spans[2] += (t3 - t2) >>> 0;
    spans[3] += (t4 - t3) >>> 0;
    spans[4] += (t5 - t4) >>> 0;
    spans[5] += (t6 - t5) >>> 0;
  }

  /** SignalWindow + SignalFftAutoScale, written straight into the FFT passes' input order. */
  #windowScale(samples: Int16Array, offset: number): void {
    const work = this.#work;
    const win = this.#win;
    const dst = this.#dst;
    const shift = this.#windowShift;
    const count = this.frameSamples;
    let max = 0; // TFLM keeps the running max in an int16 (see fft_auto_scale.c)
    for (let i = 0; i < count; i++) {
      let v = (samples[offset + i] * win[i]) >> shift;
      if (v > 32767) v = 32767;
      else if (v < -32768) v = -32768;
      work[dst[i]] = v;
      if (v > max) max = v;
      else if (-v > max) max = (-v << 16) >> 16;
    }
    let bits = max > 0 ? 15 - (32 - Math.clz32(max)) : 0;
    if (bits < 0) bits = 0;
    if (bits > 0) {
      const sh = 16 + bits;
      for (let i = 0; i < count; i++) {
        const d = dst[i];
        work[d] = (work[d] << sh) >> 16;
      }
    }
    this.#scaleBits = bits;
    const pad = this.#pad;
    for (let i = 0; i < pad.length; i++) work[pad[i]] = 0;
  }

  /** SignalEnergy straight into the filter bank's input positions. */
  #energy(): void {
    const re = this.#specRe;
    const im = this.#specIm;
    const runs = this.#runs;
    const fbIn = this.#fbIn;
    for (let q = 0; q < runs.length; q += 3) {
      const delta = runs[q] - runs[q + 1];
      const end = runs[q + 1] + runs[q + 2];
      for (let k = runs[q + 1]; k < end; k++) {
        const r = re[k];
        const i = im[k];
        fbIn[k + delta] = r * r + i * i;
      }
    }
  }

  #scaleBits = 0;

  /** The complex transform of the work array: passes from span 1 upwards, each merging
   * radix neighbouring sub-transforms of length m (rfft.c explains the passes and the
   * rounding points R1..R3 reproduced here). Loops run over k outside so the twiddles are
   * read once per k. */
  #cfft(): void {
    const z = this.#work;
    const twr = this.#twr;
    const twi = this.#twi;
    const n = this.#n;
    const radix = this.#radix;
    let m = 1;
    for (let s = 0; s < radix.length; s++) {
      const len = radix[s] * m;
      const step = n / len;
      if (radix[s] === 4) {
        for (let k = 0; k < m; k++) {
          const w1r = twr[k * step];
          const w1i = twi[k * step];
          const w2r = twr[2 * k * step];
          const w2i = twi[2 * k * step];
          const w3r = twr[3 * k * step];
          const w3i = twi[3 * k * step];
          for (let g = 2 * k; g < 2 * n; g += 2 * len) {
            const g1 = g + 2 * m;
            const g2 = g1 + 2 * m;
            const g3 = g2 + 2 * m;
            // R1: scale by 8191 / 32768, round half up; R2: one rounding per component
            const x0r = (z[g] * 8191 + 16384) >> 15;
            const x0i = (z[g + 1] * 8191 + 16384) >> 15;
            let ar = (z[g1] * 8191 + 16384) >> 15;
            let ai = (z[g1 + 1] * 8191 + 16384) >> 15;
            const x1r = (ar * w1r - ai * w1i + 16384) >> 15;
            const x1i = (ar * w1i + ai * w1r + 16384) >> 15;
            ar = (z[g2] * 8191 + 16384) >> 15;
            ai = (z[g2 + 1] * 8191 + 16384) >> 15;
            const x2r = (ar * w2r - ai * w2i + 16384) >> 15;
            const x2i = (ar * w2i + ai * w2r + 16384) >> 15;
            ar = (z[g3] * 8191 + 16384) >> 15;
            ai = (z[g3 + 1] * 8191 + 16384) >> 15;
            const x3r = (ar * w3r - ai * w3i + 16384) >> 15;
            const x3i = (ar * w3i + ai * w3r + 16384) >> 15;
            // R3: the 4-point DFT; int16 wrap is modular, so wrapping once at the store is
            // the same as wrapping every partial sum.
            const esr = x0r + x2r;
            const esi = x0i + x2i;
            const edr = x0r - x2r;
            const edi = x0i - x2i;
            const osr = x1r + x3r;
            const osi = x1i + x3i;
            const odr = x1r - x3r;
            const odi = x1i - x3i;
            z[g] = ((esr + osr) << 16) >> 16;
            z[g + 1] = ((esi + osi) << 16) >> 16;
            z[g1] = ((edr + odi) << 16) >> 16;
            z[g1 + 1] = ((edi - odr) << 16) >> 16;
            z[g2] = ((esr - osr) << 16) >> 16;
            z[g2 + 1] = ((esi - osi) << 16) >> 16;
            z[g3] = ((edr - odi) << 16) >> 16;
            z[g3 + 1] = ((edi + odr) << 16) >> 16;
          }
        }
      } else {
        for (let k = 0; k < m; k++) {
          const wr = twr[k * step];
          const wi = twi[k * step];
          for (let g = 2 * k; g < 2 * n; g += 2 * len) {
            const g1 = g + 2 * m;
            const x0r = (z[g] * 16383 + 16384) >> 15;
            const x0i = (z[g + 1] * 16383 + 16384) >> 15;
            const ar = (z[g1] * 16383 + 16384) >> 15;
            const ai = (z[g1 + 1] * 16383 + 16384) >> 15;
            const x1r = (ar * wr - ai * wi + 16384) >> 15;
            const x1i = (ar * wi + ai * wr + 16384) >> 15;
            z[g] = ((x0r + x1r) << 16) >> 16;
            z[g + 1] = ((x0i + x1i) << 16) >> 16;
            z[g1] = ((x0r - x1r) << 16) >> 16;
            z[g1 + 1] = ((x0i - x1i) << 16) >> 16;
          }
        }
      }
      m = len;
    }
  }

  /** The real spectrum from the half-length complex transform (rounding point R6 of
   * rfft.c): e = a + b, o = (a - b) * S[k - 1] with a = Z[k] / 2, b = conj(Z[n - k]) / 2. */
  #split(): void {
    const z = this.#work;
    const re = this.#specRe;
    const im = this.#specIm;
    const stwr = this.#stwr;
    const stwi = this.#stwi;
    const n = this.#n;
    const z0r = (z[0] * 16383 + 16384) >> 15;
    const z0i = (z[1] * 16383 + 16384) >> 15;
    re[0] = ((z0r + z0i) << 16) >> 16;
    im[0] = 0;
    re[n] = ((z0r - z0i) << 16) >> 16;
    im[n] = 0;
    const half = n >> 1;
    for (let k = 1; k <= half; k++) {
      const p = 2 * k;
      const q = 2 * (n - k);
      const ar = (z[p] * 16383 + 16384) >> 15;
      const ai = (z[p + 1] * 16383 + 16384) >> 15;
      const br = (z[q] * 16383 + 16384) >> 15;
      // the conjugate is kept as int16 before scaling: -(-32768) stays -32768
      const bi = (((-z[q + 1] << 16) >> 16) * 16383 + 16384) >> 15;
      const er = ar + br; // |scaled| <= 16383: neither sum nor difference wraps
      const ei = ai + bi;
      const dr = ar - br;
      const di = ai - bi;
      const sr = stwr[k - 1];
      const si = stwi[k - 1];
      const or = (((dr * sr - di * si + 16384) >> 15) << 16) >> 16;
      const oi = (((dr * si + di * sr + 16384) >> 15) << 16) >> 16;
      re[k] = (((er + or) >> 1) << 16) >> 16;
      im[k] = (((ei + oi) >> 1) << 16) >> 16;
      // bin n - k; at k = n/2 it is bin k again, and this second value is the one (R6)
      re[n - k] = (((er - or) >> 1) << 16) >> 16;
      im[n - k] = (((oi - ei) >> 1) << 16) >> 16;
    }
  }

  /** SignalFilterBank, then SignalFilterBankSquareRoot (>> the auto-scale bits). */
  #filterBank(): void {
    const fbIn = this.#fbIn;
    const wts = this.#fbW;
    const uwts = this.#fbU;
    const fstart = this.#fbF;
    const wstart = this.#fbS;
    const widths = this.#fbN;
    const chan = this.#chan;
    const channels = this.#numChannels;
    let weighted = 0;
    let unweighted = 0;
    for (let ch = 0; ch <= channels; ch++) {
      const f0 = fstart[ch];
      const w0 = wstart[ch];
      const width = widths[ch];
      for (let j = 0; j < width; j++) {
        const v = fbIn[f0 + j];
        weighted += wts[w0 + j] * v;
        unweighted += uwts[w0 + j] * v;
      }
      chan[ch] = weighted;
      weighted = unweighted;
      unweighted = 0;
    }
    // Rounded square roots (TFLM Sqrt64, with its 32-bit shortcut and rounding caps).
    const bits = this.#scaleBits;
    const outputs = this.#ss.numChannels;
    for (let i = 0; i < outputs; i++) {
      const x = chan[i + 1];
      let r = Math.floor(Math.sqrt(x));
      if (r * r > x) r--;
      else if ((r + 1) * (r + 1) <= x) r++;
      if (x - r * r > r && r !== (x < TWO32 ? 0xffff : 0xffffffff)) r++;
      chan[i] = r >>> bits;
    }
  }

  /** Spectral subtraction (stateful), PCAN, log and the int32 tail → int8 features. */
  #channels(out: Int8Array, outOffset: number): void {
    const ss = this.#ss;
    const chan = this.#chan;
    const noise = this.#noise;
    const n = ss.numChannels;
    const sbits = ss.smoothingBits;
    const div = 2 ** ss.spectralSubtractionBits;
    const minSignal = ss.minSignalRemaining;
    const clamping = ss.clamping;
    const lut = this.#lut;
    const snrShift = this.#snrShift;
    const snrDiv = 2 ** snrShift;
    const corr = this.#logCorrectionBits;
    const scale = this.#logOutputScale >>> 0;
    const logT = this.#logT;
    const pow2 = this.#pow2;
    for (let i = 0; i < n; i++) {
      // ---- SignalFilterBankSpectralSubtraction ----
      const x = chan[i];
      const a = i & 1 ? ss.alternateSmoothing : ss.smoothing;
      const b = i & 1 ? ss.alternateOneMinusSmoothing : ss.oneMinusSmoothing;
      const signal = (x << sbits) >>> 0;
      let est = ((signal * a + noise[i] * b) / div) >>> 0;
      noise[i] = est;
      if (est > signal) {
        est = signal;
        if (clamping) noise[i] = est;
      }
      const floor = ((x * minSignal) / div) >>> 0;
      const sub = (signal - est) >>> sbits;
      const y = sub > floor ? sub : floor;

      // ---- SignalPCAN: gain from the noise estimate (a quadratic per octave) ----
      const nz = noise[i];
      let gain: number;
      if (nz <= 2) gain = lut[nz];
      else {
        const octave = 32 - Math.clz32(nz);
        const c = 4 * octave - 6;
        const frac = (octave < 11 ? nz << (11 - octave) : nz >>> (octave - 11)) & 0x3ff;
        let acc = (lut[c + 2] * frac) >> 5;
        acc += lut[c + 1] << 5;
        acc = (acc * frac) | 0; // wraps like TFLM's int32 product (|product| < 2^53)
        acc = (acc + 16384) >> 15;
        acc += lut[c];
        gain = (acc << 16) >> 16;
      }
      // a negative int16 gain sign-extends into a huge uint32 in C: exact split product
      const snr = gain >= 0 ? ((y * gain) / snrDiv) >>> 0 : mulShr64(y, gain >>> 0, snrShift);
      const z = snr < 8192 ? (snr * snr) >>> 20 : (snr >>> 6) - 64;

      // ---- SignalFilterBankLog ----
      const scaled = (z << corr) >>> 0;
      let v = 0;
      if (scaled > 1) {
        const integer = 31 - Math.clz32(scaled);
        let frac = scaled - pow2[integer];
        if (integer < 16) frac = frac << (16 - integer);
        else frac = frac >> (integer - 16);
        const seg = frac >> 9;
        const c0 = logT[seg];
        const rel = ((logT[seg + 1] - c0) * (frac - (seg << 9))) >> 16;
        const log2 = integer * 65536 + ((frac + c0 + rel) >>> 0);
        const loge = ((45426 * log2 + 32768) / 65536) >>> 0;
        v = ((scale * loge + 32768) >>> 0) >>> 16;
        if (v > 32767) v = 32767;
      }
      chan[i] = v;
    }

    // ---- the int32 tail (MUL/ADD/DIV/MIN/MAX with constants), CAST to int8 ----
    const kinds = this.#tailKind;
    const values = this.#tailValue;
    const los = this.#tailLo;
    const his = this.#tailHi;
    for (let s = 0; s < kinds.length; s++) {
      const kind = kinds[s];
      const c = values[s];
      const lo = los[s];
      const hi = his[s];
      if (kind === TAIL_MUL) {
        for (let i = 0; i < n; i++) {
          const prod = chan[i] * c;
          let r = prod >= -TWO53 && prod <= TWO53 ? prod | 0 : Math.imul(chan[i], c);
          if (r < lo) r = lo;
          else if (r > hi) r = hi;
          chan[i] = r;
        }
      } else if (kind === TAIL_ADD) {
        for (let i = 0; i < n; i++) chan[i] = (chan[i] + c) | 0;
      } else if (kind === TAIL_DIV) {
        for (let i = 0; i < n; i++) {
          let r = (chan[i] / c) | 0; // trunc(x / c) is exact for int32 operands
          if (r < lo) r = lo;
          else if (r > hi) r = hi;
          chan[i] = r;
        }
      } else if (kind === TAIL_MIN) {
        for (let i = 0; i < n; i++) if (chan[i] > c) chan[i] = c;
      } else if (kind === TAIL_MAX) {
        for (let i = 0; i < n; i++) if (chan[i] < c) chan[i] = c;
      }
    }
    for (let i = 0; i < n; i++) out[outOffset + i] = (chan[i] << 24) >> 24;
  }
}
