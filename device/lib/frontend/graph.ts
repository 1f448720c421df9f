// graph.ts – reads TFLM's audio preprocessor graph (audio_preprocessor_int8.tflite: the
// signal-library ops, then the int32 tail) out of the model bytes and returns every
// parameter and table the TypeScript front end needs. It walks the operators in order,
// checks that each stage consumes the previous stage's tensor, and refuses a graph it
// cannot run exactly (a ModelError naming the operator). Setup only, never timed.
import { FlexError, flexBool, flexInt, flexRoot, type FlexValue } from './flexbuffer.ts';
import {
  ModelError,
  OP_ADD,
  OP_CAST,
  OP_CONCATENATION,
  OP_CUSTOM,
  OP_DIV,
  OP_MAXIMUM,
  OP_MINIMUM,
  OP_MUL,
  OP_RESHAPE,
  OP_STRIDED_SLICE,
  TYPE_INT16,
  TYPE_INT32,
  TYPE_INT8,
  TYPE_UINT32,
  TYPE_UINT64,
  constInts,
  readModel,
  type Model,
  type ModelOperator,
  type ModelTensor,
} from './tflite.ts';

/** Element-wise int32 step of the tail (applied in model order). */
export const TAIL_MUL = 0;
export const TAIL_ADD = 1;
export const TAIL_DIV = 2;
export const TAIL_MIN = 3;
export const TAIL_MAX = 4;

export interface TailStep {
  readonly kind: number;
  readonly value: number;
  /** Fused activation clamp of MUL/DIV (int32 range when none). */
  readonly lo: number;
  readonly hi: number;
}

export interface FrontendParams {
  readonly frameSamples: number;
  readonly window: readonly number[];
  readonly windowShift: number;
  readonly fftLength: number;
  readonly energyStart: number;
  readonly energyEnd: number;
  /** Filter-bank input vector: per position, the energy bin it comes from (-1: constant). */
  readonly spectrumSource: readonly number[];
  /** Per position, the constant (uint32) used when spectrumSource is -1. */
  readonly spectrumConst: readonly number[];
  readonly numChannels: number;
  readonly fbOutputs: number;
  readonly fbWeights: readonly number[];
  readonly fbUnweights: readonly number[];
  readonly fbFreqStarts: readonly number[];
  readonly fbWeightStarts: readonly number[];
  readonly fbWidths: readonly number[];
  readonly ss: {
    readonly smoothing: number;
    readonly oneMinusSmoothing: number;
    readonly alternateSmoothing: number;
    readonly alternateOneMinusSmoothing: number;
    readonly minSignalRemaining: number;
    readonly smoothingBits: number;
    readonly spectralSubtractionBits: number;
    readonly clamping: boolean;
    readonly numChannels: number;
  };
  readonly pcanLut: readonly number[];
  readonly snrShift: number;
  readonly logCorrectionBits: number;
  readonly logOutputScale: number;
  readonly tail: readonly TailStep[];
  readonly outputs: number;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function fail(op: ModelOperator, message: string): never {
  throw new ModelError(`operator ${op.index} (${op.custom || 'builtin ' + op.builtin}): ${message}`);
}

function options(op: ModelOperator): FlexValue {
  try {
    return flexRoot(op.customOptions);
  } catch (e) {
    return fail(op, `custom options: ${(e as Error).message}`);
  }
}

function opt<T>(op: ModelOperator, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof FlexError) fail(op, e.message);
    throw e;
  }
}

/** Builtin activation → int32 clamp range (TFLM CalculateActivationRange<int32_t>). */
function activationRange(op: ModelOperator, act: number): [number, number] {
  switch (act) {
    case 0:
      return [INT32_MIN, INT32_MAX];
    case 1:
      return [0, INT32_MAX];
    case 2:
      return [-1, 1];
    case 3:
      return [0, 6];
    default:
      return fail(op, `fused activation ${act} is not supported`);
  }
}

/** Reads the audio preprocessor graph of a .tflite model. */
export function readFrontendGraph(bytes: Uint8Array): FrontendParams {
  return planGraph(readModel(bytes));
}

export function planGraph(model: Model): FrontendParams {
  const ops = model.operators;
  const tensors = model.tensors;
  let at = 0;
  const next = (what: string): ModelOperator => {
    if (at >= ops.length) throw new ModelError(`graph ends before ${what}`);
    return ops[at++];
  };
  const tensor = (op: ModelOperator, i: number, kind: 'input' | 'output'): ModelTensor => {
    const list = kind === 'input' ? op.inputs : op.outputs;
    if (i >= list.length || list[i] < 0) fail(op, `${kind} ${i} is missing`);
    return tensors[list[i]];
  };
  const expectCustom = (op: ModelOperator, name: string, inputs: number, outputs: number): void => {
    if (op.builtin !== OP_CUSTOM || op.custom !== name) fail(op, `expected ${name}`);
    if (op.inputs.length !== inputs || op.outputs.length !== outputs) {
      fail(op, `expects ${inputs} inputs and ${outputs} outputs`);
    }
  };
  const expectType = (op: ModelOperator, t: ModelTensor, type: number, what: string): void => {
    if (t.type !== type) fail(op, `${what} has type ${t.type}, expected ${type}`);
  };
  const constOf = (op: ModelOperator, i: number, type: number, what: string): number[] => {
    const t = tensor(op, i, 'input');
    expectType(op, t, type, what);
    if (t.data === null) fail(op, `${what} must be a constant tensor`);
    return constInts(t);
  };
  // The tensor the current stage produced; the next stage must read it.
  let current = -1;
  const consume = (op: ModelOperator, i = 0): void => {
    if (op.inputs[i] !== current) fail(op, `input ${i} is tensor ${op.inputs[i]}, expected ${current}`);
  };

  // SignalWindow
  let op = next('SignalWindow');
  expectCustom(op, 'SignalWindow', 2, 1);
  if (model.inputs.length !== 1 || op.inputs[0] !== model.inputs[0]) fail(op, 'must read the model input');
  const input = tensor(op, 0, 'input');
  expectType(op, input, TYPE_INT16, 'input');
  const frameSamples = input.elements;
  const window = constOf(op, 1, TYPE_INT16, 'window');
  if (window.length !== frameSamples) fail(op, `window of ${window.length} for frames of ${frameSamples}`);
  const windowShift = opt(op, () => flexInt(options(op), 'shift', 0, 31));
  current = op.outputs[0];

  // RESHAPEs are views
  op = next('SignalFftAutoScale');
  while (op.builtin === OP_RESHAPE) {
    consume(op);
    current = op.outputs[0];
    op = next('SignalFftAutoScale');
  }
  expectCustom(op, 'SignalFftAutoScale', 1, 2);
  consume(op);
  if (tensor(op, 0, 'input').elements !== frameSamples) fail(op, 'frame length changed');
  const scaleBitsTensor = op.outputs[1];
  current = op.outputs[0];

  op = next('SignalRfft');
  expectCustom(op, 'SignalRfft', 1, 1);
  consume(op);
  const rfftOptions = options(op);
  if (opt(op, () => flexInt(rfftOptions, 'T', 0, 255)) !== TYPE_INT16) fail(op, 'only the int16 RFFT exists');
  const fftLength = opt(op, () => flexInt(rfftOptions, 'fft_length', 4, 1 << 16));
  if (fftLength < frameSamples || (fftLength & 1) !== 0)
    fail(op, `fft_length ${fftLength} for ${frameSamples} samples`);
  if (tensor(op, 0, 'output').elements !== fftLength + 2) fail(op, 'output must be fft_length + 2 values');
  current = op.outputs[0];

  op = next('SignalEnergy');
  expectCustom(op, 'SignalEnergy', 1, 1);
  consume(op);
  const energyOptions = options(op);
  const energyStart = opt(op, () => flexInt(energyOptions, 'start_index', 0, INT32_MAX));
  const energyEnd = opt(op, () => flexInt(energyOptions, 'end_index', 0, INT32_MAX));
  const bins = tensor(op, 0, 'output').elements;
  if (energyStart > energyEnd || energyEnd > bins || energyEnd > fftLength / 2 + 1)
    fail(op, 'bins outside the spectrum');
  current = op.outputs[0];

  // CAST / STRIDED_SLICE / CONCATENATION between the energy and the filter bank: tracked
  // symbolically per element (energy bin or constant uint32 bit pattern).
  let source: number[] = [];
  let constant: number[] = [];
  for (let i = 0; i < bins; i++) {
    const inRange = i >= energyStart && i < energyEnd;
    source.push(inRange ? i : -1);
    constant.push(0); // the engine zeroes bins outside [start, end)
  }
  const symbolic = new Map<number, { source: number[]; constant: number[] }>();
  symbolic.set(current, { source, constant });
  for (;;) {
    op = next('SignalFilterBank');
    if (op.builtin === OP_CUSTOM) break;
    if (op.builtin === OP_CAST) {
      const from = tensor(op, 0, 'input');
      const to = tensor(op, 0, 'output');
      const ok32 = (t: number): boolean => t === TYPE_INT32 || t === TYPE_UINT32;
      if (!ok32(from.type) || !ok32(to.type)) fail(op, 'only 32-bit integer casts before the filter bank');
      const v = symbolic.get(op.inputs[0]);
      if (!v) fail(op, 'input is not derived from the energy');
      symbolic.set(op.outputs[0], v);
    } else if (op.builtin === OP_STRIDED_SLICE) {
      const v = symbolic.get(op.inputs[0]);
      if (!v || op.inputs.length !== 4) fail(op, 'input is not derived from the energy');
      const inT = tensor(op, 0, 'input');
      if (inT.shape.length !== 1) fail(op, 'only 1-D slices');
      const begin = constOf(op, 1, TYPE_INT32, 'begin')[0];
      const end = constOf(op, 2, TYPE_INT32, 'end')[0];
      const stride = constOf(op, 3, TYPE_INT32, 'strides')[0];
      const o = op.options;
      const beginMask = o ? o.i32(0, 0) : 0;
      const endMask = o ? o.i32(1, 0) : 0;
      if (o && (o.i32(2, 0) !== 0 || o.i32(3, 0) !== 0 || o.i32(4, 0) !== 0))
        fail(op, 'ellipsis/new-axis/shrink masks');
      if (stride === 0) fail(op, 'zero stride');
      const size = inT.elements;
      const clamp = (x: number, lo: number, hi: number): number => (x > hi ? hi : x < lo ? lo : x);
      let start = begin < 0 ? begin + size : begin;
      start = stride > 0 ? clamp(start, 0, size) : clamp(start, -1, size - 1);
      if (beginMask & 1) start = stride > 0 ? 0 : size - 1;
      let stop = end < 0 ? end + size : end;
      stop = stride > 0 ? clamp(stop, 0, size) : clamp(stop, -1, size - 1);
      if (endMask & 1) stop = stride > 0 ? size : -1;
      const s: number[] = [];
      const c: number[] = [];
      for (let i = start; stride > 0 ? i < stop : i > stop; i += stride) {
        s.push(v.source[i]);
        c.push(v.constant[i]);
      }
      if (s.length !== tensor(op, 0, 'output').elements) fail(op, 'output size does not match the slice');
      symbolic.set(op.outputs[0], { source: s, constant: c });
    } else if (op.builtin === OP_CONCATENATION) {
      const outT = tensor(op, 0, 'output');
      if (outT.shape.length !== 1) fail(op, 'only 1-D concatenation');
      if (op.options && op.options.u8(1, 0) !== 0) fail(op, 'fused activation');
      const s: number[] = [];
      const c: number[] = [];
      for (let k = 0; k < op.inputs.length; k++) {
        const t = tensor(op, k, 'input');
        const v = symbolic.get(op.inputs[k]);
        if (v) {
          // element by element: a spread of hundreds of arguments overflows XS's stack
          for (let i = 0; i < v.source.length; i++) {
            s.push(v.source[i]);
            c.push(v.constant[i]);
          }
        } else if (t.data !== null && (t.type === TYPE_INT32 || t.type === TYPE_UINT32)) {
          for (const x of constInts(t)) {
            s.push(-1);
            c.push(x >>> 0);
          }
        } else fail(op, `input ${k} is neither derived from the energy nor a 32-bit constant`);
      }
      if (s.length !== outT.elements) fail(op, 'output size does not match its inputs');
      symbolic.set(op.outputs[0], { source: s, constant: c });
    } else fail(op, 'unexpected operator between SignalEnergy and SignalFilterBank');
    current = op.outputs[0];
  }

  expectCustom(op, 'SignalFilterBank', 6, 1);
  consume(op);
  expectType(op, tensor(op, 0, 'input'), TYPE_UINT32, 'input');
  const spectrum = symbolic.get(current)!;
  source = spectrum.source;
  constant = spectrum.constant;
  const numChannels = opt(op, () => flexInt(options(op), 'num_channels', 1, 1 << 16));
  const fbWeights = constOf(op, 1, TYPE_INT16, 'weights');
  const fbUnweights = constOf(op, 2, TYPE_INT16, 'unweights');
  const fbFreqStarts = constOf(op, 3, TYPE_INT16, 'channel frequency starts');
  const fbWeightStarts = constOf(op, 4, TYPE_INT16, 'channel weight starts');
  const fbWidths = constOf(op, 5, TYPE_INT16, 'channel widths');
  const fbOut = tensor(op, 0, 'output');
  expectType(op, fbOut, TYPE_UINT64, 'output');
  const fbOutputs = fbOut.elements;
  if (
    fbOutputs > numChannels ||
    fbFreqStarts.length <= numChannels ||
    fbWeightStarts.length <= numChannels ||
    fbWidths.length <= numChannels
  ) {
    fail(op, `num_channels ${numChannels} needs ${numChannels + 1}-entry tables and at most ${numChannels} outputs`);
  }
  const nWeights = Math.min(fbWeights.length, fbUnweights.length);
  for (let ch = 0; ch <= numChannels; ch++) {
    const f = fbFreqStarts[ch],
      w = fbWeightStarts[ch],
      n = fbWidths[ch];
    if (f < 0 || w < 0 || n < 0 || f + n > source.length || w + n > nWeights)
      fail(op, `channel ${ch} reads outside the spectrum or weights`);
  }
  current = op.outputs[0];

  op = next('SignalFilterBankSquareRoot');
  expectCustom(op, 'SignalFilterBankSquareRoot', 2, 1);
  consume(op);
  if (op.inputs[1] !== scaleBitsTensor) fail(op, 'must undo the FFT auto-scale bits');
  if (tensor(op, 0, 'output').elements < fbOutputs) fail(op, 'output shorter than input');
  current = op.outputs[0];

  op = next('SignalFilterBankSpectralSubtraction');
  expectCustom(op, 'SignalFilterBankSpectralSubtraction', 1, 2);
  consume(op);
  const sso = options(op);
  const ssInt = (key: string, max: number): number => opt(op, () => flexInt(sso, key, 0, max));
  const ss = {
    smoothing: ssInt('smoothing', INT32_MAX),
    oneMinusSmoothing: ssInt('one_minus_smoothing', INT32_MAX),
    alternateSmoothing: ssInt('alternate_smoothing', INT32_MAX),
    alternateOneMinusSmoothing: ssInt('alternate_one_minus_smoothing', INT32_MAX),
    minSignalRemaining: ssInt('min_signal_remaining', INT32_MAX),
    smoothingBits: ssInt('smoothing_bits', 31),
    spectralSubtractionBits: ssInt('spectral_subtraction_bits', 31),
    clamping: opt(op, () => flexBool(sso, 'clamping')),
    numChannels: opt(op, () => flexInt(sso, 'num_channels', 1, 1 << 16)),
  };
  if (ss.numChannels > fbOutputs || tensor(op, 1, 'output').elements !== ss.numChannels)
    fail(op, 'num_channels does not match the filter bank');
  // The 64-bit products below are computed exactly in doubles: they must stay under 2^53
  // (inputs are < 2^32), which these limits guarantee.
  const LIMIT = 1 << 21;
  if (
    ss.smoothing + ss.oneMinusSmoothing > LIMIT ||
    ss.alternateSmoothing + ss.alternateOneMinusSmoothing > LIMIT ||
    ss.minSignalRemaining > LIMIT
  ) {
    fail(op, 'smoothing coefficients above 2^21 are not supported by the TypeScript front end');
  }
  const noiseTensor = op.outputs[1];
  current = op.outputs[0];

  op = next('SignalPCAN');
  expectCustom(op, 'SignalPCAN', 3, 1);
  consume(op);
  if (op.inputs[1] !== noiseTensor) fail(op, 'input 1 must be the noise estimate');
  const pcanLut = constOf(op, 2, TYPE_INT16, 'gain lut');
  if (pcanLut.length < 125) fail(op, `gain lut has ${pcanLut.length} entries, needs 125`);
  const snrShift = opt(op, () => flexInt(options(op), 'snr_shift', 0, 63));
  if (tensor(op, 0, 'input').elements !== ss.numChannels) fail(op, 'channel count changed');
  current = op.outputs[0];

  op = next('SignalFilterBankLog');
  expectCustom(op, 'SignalFilterBankLog', 1, 1);
  consume(op);
  const logOptions = options(op);
  const logCorrectionBits = opt(op, () => flexInt(logOptions, 'input_correction_bits', 0, 31));
  const logOutputScale = opt(op, () => flexInt(logOptions, 'output_scale', INT32_MIN, INT32_MAX));
  expectType(op, tensor(op, 0, 'output'), TYPE_INT16, 'output');
  current = op.outputs[0];
  const outputs = ss.numChannels;

  // The tail: CAST to int32, element-wise int32 ops with a scalar constant, CAST to int8.
  op = next('CAST');
  if (op.builtin !== OP_CAST || tensor(op, 0, 'output').type !== TYPE_INT32) fail(op, 'expected CAST to int32');
  consume(op);
  current = op.outputs[0];
  const tail: TailStep[] = [];
  for (;;) {
    op = next('CAST to int8');
    if (op.builtin === OP_CAST) break;
    const kinds: Record<number, number> = {
      [OP_MUL]: TAIL_MUL,
      [OP_ADD]: TAIL_ADD,
      [OP_DIV]: TAIL_DIV,
      [OP_MINIMUM]: TAIL_MIN,
      [OP_MAXIMUM]: TAIL_MAX,
    };
    const kind = kinds[op.builtin];
    if (kind === undefined || op.inputs.length !== 2) fail(op, 'unexpected operator in the int32 tail');
    // The running value may be either input of a commutative op; DIV needs it first.
    const first = op.inputs[0] === current;
    if (!first && (op.inputs[1] !== current || kind === TAIL_DIV)) fail(op, `must read tensor ${current}`);
    const k = first ? 1 : 0;
    const c = tensor(op, k, 'input');
    if (c.type !== TYPE_INT32 || c.data === null || c.elements !== 1)
      fail(op, 'the other input must be a scalar int32 constant');
    if (tensor(op, 0, 'output').type !== TYPE_INT32) fail(op, 'output must be int32');
    const value = constInts(c)[0];
    if (kind === TAIL_DIV && value === 0) fail(op, 'integer division by zero');
    let range: [number, number] = [INT32_MIN, INT32_MAX];
    // int32 ADD ignores the fused activation (TFLM); MUL and DIV clamp.
    if ((kind === TAIL_MUL || kind === TAIL_DIV) && op.options) range = activationRange(op, op.options.u8(0, 0));
    tail.push({ kind, value, lo: range[0], hi: range[1] });
    current = op.outputs[0];
  }
  consume(op);
  const out = tensor(op, 0, 'output');
  if (out.type !== TYPE_INT8 || out.elements !== outputs) fail(op, `expected CAST to int8[${outputs}]`);
  if (model.outputs.length !== 1 || model.outputs[0] !== op.outputs[0]) fail(op, 'must produce the model output');
  if (at !== ops.length) throw new ModelError(`operator ${at} follows the model output`);

  return {
    frameSamples,
    window,
    windowShift,
    fftLength,
    energyStart,
    energyEnd,
    spectrumSource: source,
    spectrumConst: constant,
    numChannels,
    fbOutputs,
    fbWeights,
    fbUnweights,
    fbFreqStarts,
    fbWeightStarts,
    fbWidths,
    ss,
    pcanLut,
    snrShift,
    logCorrectionBits,
    logOutputScale,
    tail,
    outputs,
  };
}
