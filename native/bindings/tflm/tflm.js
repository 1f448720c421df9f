// tflm – engine interpreters over models in flash, with zero-copy tensor views (module
// "tflm" on the device; typings in device/types/tflm.d.ts, C half in tflm.c).
function create(model, arenaId, kernels, profile) @ "xs_tflm_create";
// A handle names one interpreter of one arena (tflm.c: generation and arena in one
// integer); it goes stale when the arena's interpreter is replaced or closed.
function close(handle) @ "xs_tflm_close";
function tensor(handle, isOutput, index) @ "xs_tflm_tensor";
function bindHandle(interpreter, handle) @ "xs_tflm_bind";
function lastError(handle) @ "xs_tflm_error";
function arenaFigures(handle) @ "xs_tflm_arena";
function profileFigures(handle) @ "xs_tflm_profile";
function detach(buffer) @ "xs_tflm_detach";
function arenaBytesNative(arenaId) @ "xs_tflm_arena_bytes";
function invokerNative(interpreter, handle) @ "xs_tflm_invoker";

const ARENA_NAMES = ["main", "aux"];
const KERNEL_NAMES = ["reference", "optimized"];

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

// The live Interpreter of each arena: a new one detaches the views of the one it replaces.
const live = [null, null];

function arenaIndex(arena) {
  const index = ARENA_NAMES.indexOf(arena);
  if (index < 0) throw new RangeError(`tflm: arena must be "main" or "aux", not ${String(arena)}`);
  return index;
}

export function arenaBytes(arena) {
  return arenaBytesNative(arenaIndex(arena));
}

// invoke(), the call the bench times, is a host method: `model.invoke()` goes straight to
// C, which reads the handle from the instance's host data (a host class: `@` names the
// destructor) and checks it; no JS frame, no private-field walk on the hot path. A
// failure calls invokeFailed() back from C to throw the right error. Layout still
// matters to the method lookup: XS walks the instance's own properties (its private
// fields), then the prototype's in order, so invoke() is the prototype's first method.
export class Interpreter @ "xs_tflm_destructor" {
  #handle = -1;
  #arenaId;
  #kernels;
  #inputs;
  #outputs;
  #views = [];
  #closed = false;
  #inputCount = 0;
  #outputCount = 0;
  #opCount = 0;

  constructor(model, options) {
    if (typeof model !== "string") throw new TypeError("tflm: Interpreter(model): model must be an asset name string");
    if (options !== undefined && (options === null || typeof options !== "object")) {
      throw new TypeError("tflm: Interpreter options must be an object");
    }
    const kernels = options?.kernels ?? "reference";
    const kernelIndex = KERNEL_NAMES.indexOf(kernels);
    if (kernelIndex < 0) throw new RangeError(`tflm: kernels must be "reference" or "optimized", not ${String(kernels)}`);
    const arenaId = arenaIndex(options?.arena ?? "main");
    this.#arenaId = arenaId;
    this.#kernels = kernels;
    // The arena is about to be reused: the previous interpreter and its views go
    // first, even if this creation fails.
    live[arenaId]?.#invalidate();
    live[arenaId] = null;
    const result = create(model, arenaId, kernelIndex, options?.profile === true);
    if (typeof result[0] === "string") throw engineError(result);
    this.#handle = result[0];
    bindHandle(this, result[0]);
    this.#inputs = new Array(result[1]);
    this.#outputs = new Array(result[2]);
    this.#inputCount = result[1];
    this.#outputCount = result[2];
    this.#opCount = result[3];
    live[arenaId] = this;
  }

  // The bench times this: the host call alone on success (tflm.c); a stale handle or an
  // engine failure comes back to invokeFailed().
  invoke() @ "xs_tflm_invoke";

  // invoke() as a plain function bound natively to this interpreter: `run()` instead of
  // `model.invoke()` skips the method lookup through the instance's private fields.
  // Same checks and errors as invoke(); stale once the interpreter is closed or replaced.
  invoker() {
    this.#check();
    return invokerNative(this, this.#handle);
  }

  get inputCount() {
    return this.#inputCount;
  }

  get outputCount() {
    return this.#outputCount;
  }

  get opCount() {
    return this.#opCount;
  }

  get arenaName() {
    return ARENA_NAMES[this.#arenaId];
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
      throw new TflmError("INVALIDATED", `tflm: this Interpreter (arena ${ARENA_NAMES[this.#arenaId]}) is closed or was replaced`);
    }
  }

  #tensor(isOutput, index) {
    this.#check();
    const cache = isOutput ? this.#outputs : this.#inputs;
    if (typeof index === "number") {
      const cached = cache[index];
      if (cached !== undefined) return cached;
    }
    const [data, type, scale, zeroPoint, ...shape] = tensor(this.#handle, isOutput, index);
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

  get arena() {
    this.#check();
    const [head, tail, total, size] = arenaFigures(this.#handle);
    return { head, tail, total, size };
  }

  profile() {
    this.#check();
    const flat = profileFigures(this.#handle);
    const ops = [];
    for (let i = 0; i < flat.length; i += 2) ops.push({ op: flat[i], ticks: flat[i + 1] });
    return ops;
  }

  close() {
    if (this.#closed) return;
    close(this.#handle);
    this.#invalidate();
    if (live[this.#arenaId] === this) live[this.#arenaId] = null;
  }

  // Called from C when invoke() failed: throws what failed (a stale handle: this
  // interpreter was closed or replaced, or C borrowed its arena). Not for apps.
  invokeFailed() {
    const error = lastError(this.#handle);
    if (error === null) {
      this.#invalidate();
      this.#check();
    }
    throw engineError(error);
  }
}
