// frontend.ts – the micro_speech audio front end in pure TypeScript: TFLM's signal-library
// graph (window, FFT auto-scale, int16 RFFT with kissfft's fixed-point arithmetic, energy,
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

/** kissfft's factorization: 4s first, then 2, then odd numbers up to sqrt(n). */
function factor(n: number): { radix: number[]; span: number[] } {
  const limit = Math.floor(Math.sqrt(n));
  const radix: number[] = [];
  const span: number[] = [];
  let p = 4;
  do {
    while (n % p) {
      p = p === 4 ? 2 : p === 2 ? 3 : p + 2;
      if (p > limit) p = n;
    }
    if (p > 32 || radix.length === 16) throw new ModelError(`FFT length factor ${p} unsupported`);
    n /= p;
    radix.push(p);
    span.push(n);
  } while (n > 1);
  return { radix, span };
}

/** floor(0.5 + 32767 * v): kissfft's fixed-point twiddle rounding. */
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
  readonly #radix: number[];
  readonly #span: number[];
  readonly #twr: number[];
  readonly #twi: number[];
  readonly #stwr: number[];
  readonly #stwi: number[];
  /** input sample i goes to work[#dst[i]] (kissfft's leaf order, re/im interleaved) */
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
    const { radix, span } = factor(n);
    this.#radix = radix;
    this.#span = span;
    // Twiddles: the same double expressions as kissfft (kf_cexp and kiss_fftr's super
    // twiddles), rounded to Q15.
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
    // Leaf order of kissfft's decimation in time: slot j holds input pair sum(q_s * stride_s)
    // (mixed-radix digits of j, last digit fastest); invert it for the window's writes.
    const stages = radix.length;
    const inStride: number[] = [];
    const digit: number[] = [];
    let stride = 1;
    for (let s = 0; s < stages; s++) {
      inStride.push(stride);
      digit.push(0);
      stride *= radix[s];
    }
    const slotOfPair = filled(n, -1);
    let src = 0;
    for (let j = 0; j < n; j++) {
      slotOfPair[src] = j;
      for (let s = stages - 1; s >= 0; s--) {
        src += inStride[s];
        if (++digit[s] < radix[s]) break;
        src -= radix[s] * inStride[s];
        digit[s] = 0;
      }
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

  /** SignalWindow + SignalFftAutoScale, written straight into the FFT's leaf order. */
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

  #cfft(): void {
    const f = this.#work;
    const twr = this.#twr;
    const twi = this.#twi;
    const n = this.#n;
    const radix = this.#radix;
    const span = this.#span;
    let fstride = n;
    for (let s = radix.length - 1; s >= 0; s--) {
      const p = radix[s];
      const m = span[s];
      fstride /= p;
      if (p === 4) {
        // kissfft kf_bfly4 with every input pre-divided by 4 (Q15 multiply by 8191).
        for (let b = 0; b < fstride; b++) {
          const base = 2 * b * 4 * m;
          for (let k = 0; k < m; k++) {
            const i0 = base + 2 * k;
            const i1 = i0 + 2 * m;
            const i2 = i1 + 2 * m;
            const i3 = i2 + 2 * m;
            const t1 = k * fstride;
            const t2 = 2 * t1;
            const t3 = 3 * t1;
            const ar = (f[i0] * 8191 + 16384) >> 15;
            const ai = (f[i0 + 1] * 8191 + 16384) >> 15;
            let xr = (f[i1] * 8191 + 16384) >> 15;
            let xi = (f[i1 + 1] * 8191 + 16384) >> 15;
            let wr = twr[t1];
            let wi = twi[t1];
            const s0r = (xr * wr - xi * wi + 16384) >> 15;
            const s0i = (xr * wi + xi * wr + 16384) >> 15;
            xr = (f[i2] * 8191 + 16384) >> 15;
            xi = (f[i2 + 1] * 8191 + 16384) >> 15;
            wr = twr[t2];
            wi = twi[t2];
            const s1r = (xr * wr - xi * wi + 16384) >> 15;
            const s1i = (xr * wi + xi * wr + 16384) >> 15;
            xr = (f[i3] * 8191 + 16384) >> 15;
            xi = (f[i3 + 1] * 8191 + 16384) >> 15;
            wr = twr[t3];
            wi = twi[t3];
            const s2r = (xr * wr - xi * wi + 16384) >> 15;
            const s2i = (xr * wi + xi * wr + 16384) >> 15;
            // Add/sub chains wrap modulo 2^16 in C at every step; wrapping once at the
            // store gives the same int16 (the ring is the same).
            const s5r = ar - s1r;
            const s5i = ai - s1i;
            const a2r = ar + s1r;
            const a2i = ai + s1i;
            const s3r = s0r + s2r;
            const s3i = s0i + s2i;
            const s4r = s0r - s2r;
            const s4i = s0i - s2i;
            f[i2] = ((a2r - s3r) << 16) >> 16;
            f[i2 + 1] = ((a2i - s3i) << 16) >> 16;
            f[i0] = ((a2r + s3r) << 16) >> 16;
            f[i0 + 1] = ((a2i + s3i) << 16) >> 16;
            f[i1] = ((s5r + s4i) << 16) >> 16;
            f[i1 + 1] = ((s5i - s4r) << 16) >> 16;
            f[i3] = ((s5r - s4i) << 16) >> 16;
            f[i3 + 1] = ((s5i + s4r) << 16) >> 16;
          }
        }
      } else {
        for (let b = 0; b < fstride; b++) this.#bflyOther(2 * b * p * m, fstride, m, p);
      }
    }
  }

  /** Radix 2, 3, 5 and generic butterflies (kissfft kf_bfly2/3/5/generic); lengths with
   * only factors of 4 never come here. */
  #bflyOther(base: number, fstride: number, m: number, p: number): void {
    const f = this.#work;
    const twr = this.#twr;
    const twi = this.#twi;
    const n = this.#n;
    const recip = Math.floor(32767 / p);
    const div = (x: number): number => (((x << 16) >> 16) * recip + 16384) >> 15;
    const rnd = (x: number): number => (((x + 16384) >> 15) << 16) >> 16;
    const w16 = (x: number): number => (x << 16) >> 16;
    if (p === 2) {
      for (let k = 0; k < m; k++) {
        const i0 = base + 2 * k;
        const i1 = i0 + 2 * m;
        const ar = div(f[i0]);
        const ai = div(f[i0 + 1]);
        const xr = div(f[i1]);
        const xi = div(f[i1 + 1]);
        const t = k * fstride;
        const tr = rnd(xr * twr[t] - xi * twi[t]);
        const ti = rnd(xr * twi[t] + xi * twr[t]);
        f[i1] = w16(ar - tr);
        f[i1 + 1] = w16(ai - ti);
        f[i0] = w16(ar + tr);
        f[i0 + 1] = w16(ai + ti);
      }
    } else if (p === 3) {
      const epi3i = twi[fstride * m];
      for (let k = 0; k < m; k++) {
        const i0 = base + 2 * k;
        const i1 = i0 + 2 * m;
        const i2 = i1 + 2 * m;
        const ar = div(f[i0]);
        const ai = div(f[i0 + 1]);
        let xr = div(f[i1]);
        let xi = div(f[i1 + 1]);
        let t = k * fstride;
        const s1r = rnd(xr * twr[t] - xi * twi[t]);
        const s1i = rnd(xr * twi[t] + xi * twr[t]);
        xr = div(f[i2]);
        xi = div(f[i2 + 1]);
        t = 2 * k * fstride;
        const s2r = rnd(xr * twr[t] - xi * twi[t]);
        const s2i = rnd(xr * twi[t] + xi * twr[t]);
        const s3r = w16(s1r + s2r);
        const s3i = w16(s1i + s2i);
        const s0r = w16(s1r - s2r);
        const s0i = w16(s1i - s2i);
        const br = w16(ar - (s3r >> 1));
        const bi = w16(ai - (s3i >> 1));
        const e0r = (s0r * epi3i + 16384) >> 15;
        const e0i = (s0i * epi3i + 16384) >> 15;
        f[i0] = w16(ar + s3r);
        f[i0 + 1] = w16(ai + s3i);
        f[i2] = w16(br + e0i);
        f[i2 + 1] = w16(bi - e0r);
        f[i1] = w16(br - e0i);
        f[i1 + 1] = w16(bi + e0r);
      }
    } else if (p === 5) {
      const yar = twr[fstride * m];
      const yai = twi[fstride * m];
      const ybr = twr[2 * fstride * m];
      const ybi = twi[2 * fstride * m];
      const sm = (a: number, b: number): number => (w16(a) * b + 16384) >> 15;
      const xr: number[] = [0, 0, 0, 0, 0];
      const xi: number[] = [0, 0, 0, 0, 0];
      for (let u = 0; u < m; u++) {
        for (let q = 0; q < 5; q++) {
          const idx = base + 2 * (u + q * m);
          const dr = div(f[idx]);
          const di = div(f[idx + 1]);
          if (q === 0) {
            xr[0] = dr;
            xi[0] = di;
          } else {
            const t = q * u * fstride;
            xr[q] = rnd(dr * twr[t] - di * twi[t]);
            xi[q] = rnd(dr * twi[t] + di * twr[t]);
          }
        }
        const s7r = w16(xr[1] + xr[4]),
          s7i = w16(xi[1] + xi[4]);
        const s10r = w16(xr[1] - xr[4]),
          s10i = w16(xi[1] - xi[4]);
        const s8r = w16(xr[2] + xr[3]),
          s8i = w16(xi[2] + xi[3]);
        const s9r = w16(xr[2] - xr[3]),
          s9i = w16(xi[2] - xi[3]);
        const s0r = xr[0],
          s0i = xi[0];
        const i0 = base + 2 * u;
        f[i0] = w16(s0r + w16(s7r + s8r));
        f[i0 + 1] = w16(s0i + w16(s7i + s8i));
        const s5r = w16(s0r + sm(s7r, yar) + sm(s8r, ybr));
        const s5i = w16(s0i + sm(s7i, yar) + sm(s8i, ybr));
        const s6r = w16(sm(s10i, yai) + sm(s9i, ybi));
        const s6i = w16(-sm(s10r, yai) - sm(s9r, ybi));
        f[i0 + 2 * m] = w16(s5r - s6r);
        f[i0 + 2 * m + 1] = w16(s5i - s6i);
        f[i0 + 8 * m] = w16(s5r + s6r);
        f[i0 + 8 * m + 1] = w16(s5i + s6i);
        const s11r = w16(s0r + sm(s7r, ybr) + sm(s8r, yar));
        const s11i = w16(s0i + sm(s7i, ybr) + sm(s8i, yar));
        const s12r = w16(-sm(s10i, ybi) + sm(s9i, yai));
        const s12i = w16(sm(s10r, ybi) - sm(s9r, yai));
        f[i0 + 4 * m] = w16(s11r + s12r);
        f[i0 + 4 * m + 1] = w16(s11i + s12i);
        f[i0 + 6 * m] = w16(s11r - s12r);
        f[i0 + 6 * m + 1] = w16(s11i - s12i);
      }
    } else {
      const sr = filled(p);
      const si = filled(p);
      for (let u = 0; u < m; u++) {
        for (let q = 0; q < p; q++) {
          const idx = base + 2 * (u + q * m);
          sr[q] = div(f[idx]);
          si[q] = div(f[idx + 1]);
        }
        for (let q1 = 0; q1 < p; q1++) {
          const k = u + q1 * m;
          let twidx = 0;
          let accr = sr[0];
          let acci = si[0];
          for (let q = 1; q < p; q++) {
            twidx += fstride * k;
            if (twidx >= n) twidx -= n;
            accr = w16(accr + rnd(sr[q] * twr[twidx] - si[q] * twi[twidx]));
            acci = w16(acci + rnd(sr[q] * twi[twidx] + si[q] * twr[twidx]));
          }
          f[base + 2 * k] = accr;
          f[base + 2 * k + 1] = acci;
        }
      }
    }
  }

  /** kiss_fftr's split of the packed complex transform into the real spectrum. */
  #split(): void {
    const w = this.#work;
    const re = this.#specRe;
    const im = this.#specIm;
    const stwr = this.#stwr;
    const stwi = this.#stwi;
    const n = this.#n;
    const dcr = (w[0] * 16383 + 16384) >> 15;
    const dci = (w[1] * 16383 + 16384) >> 15;
    re[0] = ((dcr + dci) << 16) >> 16;
    im[0] = 0;
    re[n] = ((dcr - dci) << 16) >> 16;
    im[n] = 0;
    const half = n >> 1;
    for (let k = 1; k <= half; k++) {
      const a = 2 * k;
      const b = 2 * (n - k);
      const fpkr = (w[a] * 16383 + 16384) >> 15;
      const fpki = (w[a + 1] * 16383 + 16384) >> 15;
      const fpnkr = (w[b] * 16383 + 16384) >> 15;
      // the conjugate is stored as int16 first: -(-32768) wraps to -32768
      const fpnki = (((-w[b + 1] << 16) >> 16) * 16383 + 16384) >> 15;
      const f1kr = fpkr + fpnkr; // |each| <= 16383: no wrap
      const f1ki = fpki + fpnki;
      const dr = fpkr - fpnkr;
      const di = fpki - fpnki;
      const tr = (((dr * stwr[k - 1] - di * stwi[k - 1] + 16384) >> 15) << 16) >> 16;
      const ti = (((dr * stwi[k - 1] + di * stwr[k - 1] + 16384) >> 15) << 16) >> 16;
      re[k] = (((f1kr + tr) >> 1) << 16) >> 16;
      im[k] = (((f1ki + ti) >> 1) << 16) >> 16;
      // at k == n/2 this overwrites the values above, in kissfft's order
      re[n - k] = (((f1kr - tr) >> 1) << 16) >> 16;
      im[n - k] = (((ti - f1ki) >> 1) << 16) >> 16;
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
