// tflm – engine interpreters over models in flash, with zero-copy tensor views (module
// "tflm" on the device; typings in device/types/tflm.d.ts, C half in tflm.c).
function create(model, slot, kernels, profile) @ "xs_tflm_create";
function close(slot, generation) @ "xs_tflm_close";
function tensor(slot, generation, isOutput, index) @ "xs_tflm_tensor";
function invokeNative(slot, generation) @ "xs_tflm_invoke";
function lastError(slot) @ "xs_tflm_error";
function arenaFigures(slot, generation) @ "xs_tflm_arena";
function profileFigures(slot, generation) @ "xs_tflm_profile";
function detach(buffer) @ "xs_tflm_detach";
function slotBytesNative(slot) @ "xs_tflm_slot_bytes";

const SLOT_NAMES = ["main", "aux"];
const KERNEL_NAMES = ["reference", "optimized"];
const STALE_HANDLE = -1;

// An engine refusal (bad model, unsupported op, arena too small, ...) or misuse of an
// Interpreter: `code` names the kind, the message is the engine's own.
export class TflmError extends Error {
  constructor(code, message, opIndex = -1, bytesNeeded = 0) {
    super(message);
    this.name = "TflmError";
    this.code = code;
    this.opIndex = opIndex;
    this.bytesNeeded = bytesNeeded;
  }
}

function engineError([code, message, opIndex, bytesNeeded]) {
  return new TflmError(code, message, opIndex, bytesNeeded);
}

// The live Interpreter of each slot: a new one detaches the views of the one it replaces.
const live = [null, null];

function slotIndex(slot) {
  const index = SLOT_NAMES.indexOf(slot);
  if (index < 0) throw new RangeError(`tflm: slot must be "main" or "aux", not ${String(slot)}`);
  return index;
}

export function slotBytes(slot) {
  return slotBytesNative(slotIndex(slot));
}

export class Interpreter {
  #slot;
  #generation = 0;
  #kernels;
  #inputs;
  #outputs;
  #views = [];
  #closed = false;

  constructor(model, options) {
    if (typeof model !== "string") throw new TypeError("tflm: Interpreter(model): model must be an asset name string");
    if (options !== undefined && (options === null || typeof options !== "object")) {
      throw new TypeError("tflm: Interpreter options must be an object");
    }
    const kernels = options?.kernels ?? "reference";
    const kernelIndex = KERNEL_NAMES.indexOf(kernels);
    if (kernelIndex < 0) throw new RangeError(`tflm: kernels must be "reference" or "optimized", not ${String(kernels)}`);
    const slot = slotIndex(options?.slot ?? "main");
    this.#slot = slot;
    this.#kernels = kernels;
    // The slot's arena is about to be reused: the previous interpreter and its views go
    // first, even if this creation fails.
    live[slot]?.#invalidate();
    live[slot] = null;
    const result = create(model, slot, kernelIndex, options?.profile === true);
    if (typeof result[0] === "string") throw engineError(result);
    this.#generation = result[0];
    this.#inputs = new Array(result[1]);
    this.#outputs = new Array(result[2]);
    this.opCount = result[3];
    this.inputCount = result[1];
    this.outputCount = result[2];
    live[slot] = this;
  }

  get slot() {
    return SLOT_NAMES[this.#slot];
  }

  get kernels() {
    return this.#kernels;
  }

  get closed() {
    return this.#closed;
  }

  #invalidate() {
    this.#closed = true;
    for (const buffer of this.#views) detach(buffer);
    this.#views.length = 0;
  }

  #check() {
    if (this.#closed) {
      throw new TflmError("INVALIDATED", `tflm: this Interpreter (slot ${SLOT_NAMES[this.#slot]}) is closed or was replaced`);
    }
  }

  #tensor(isOutput, index) {
    this.#check();
    const cache = isOutput ? this.#outputs : this.#inputs;
    if (typeof index === "number") {
      const cached = cache[index];
      if (cached !== undefined) return cached;
    }
    const [data, type, scale, zeroPoint, ...shape] = tensor(this.#slot, this.#generation, isOutput, index);
    const info = Object.freeze({ data, shape: Object.freeze(shape), scale, zeroPoint, type });
    cache[index] = info;
    this.#views.push(data.buffer);
    return info;
  }

  input(index) {
    return this.#tensor(0, index);
  }

  output(index) {
    return this.#tensor(1, index);
  }

  invoke() {
    const status = invokeNative(this.#slot, this.#generation);
    if (status !== 0) {
      if (status === STALE_HANDLE) {
        this.#invalidate();
        this.#check();
      }
      throw engineError(lastError(this.#slot));
    }
  }

  get arena() {
    this.#check();
    const [head, tail, total, size] = arenaFigures(this.#slot, this.#generation);
    return { head, tail, total, size };
  }

  profile() {
    this.#check();
    const flat = profileFigures(this.#slot, this.#generation);
    const ops = [];
    for (let i = 0; i < flat.length; i += 2) ops.push({ op: flat[i], ticks: flat[i + 1] });
    return ops;
  }

  close() {
    if (this.#closed) return;
    close(this.#slot, this.#generation);
    this.#invalidate();
    if (live[this.#slot] === this) live[this.#slot] = null;
  }
}
