// The wire protocol's constants and record/command types (docs/protocol.md is the spec;
// native/wire/include/wire.h is the device side and must agree with this file).

export const PROTOCOL_VERSION = 1;
/** Largest decoded frame (type + seq + payload + CRC) until a hello negotiates more. */
export const DEFAULT_MAX_FRAME = 1024;
/** Largest frame any hello may negotiate. */
export const LIMIT_MAX_FRAME = 16384;
export const FRAME_HEADER_BYTES = 3; // u8 type, u16 seq LE
export const FRAME_CRC_BYTES = 4; // u32 CRC-32/IEEE LE
export const FRAME_OVERHEAD_BYTES = FRAME_HEADER_BYTES + FRAME_CRC_BYTES;

/** Host -> device command type codes. */
export const CommandType = {
  hello: 0x01,
  run: 0x02,
  stop: 0x03,
  reset: 0x04,
  uploadBegin: 0x05,
  uploadChunk: 0x06,
  uploadEnd: 0x07,
  check: 0x08,
  engineOpen: 0x09,
  engineInput: 0x0a,
  engineInvoke: 0x0b,
  /** The xsbug stream toward XS's debugger (debug firmware); the end of the command range. */
  xsbug: 0x3f,
} as const;
export type CommandKind = keyof typeof CommandType;

/** Device -> host record type codes. */
export const RecordType = {
  info: 0x40,
  ack: 0x41,
  error: 0x42,
  log: 0x43,
  iter: 0x44,
  ops: 0x45,
  mem: 0x46,
  done: 0x47,
  overflow: 0x48,
  tensor: 0x49,
  user: 0x4f,
  /** XS's xsbug stream toward the host's relay (debug firmware); the end of the record range. */
  xsbug: 0x7f,
  /** A JS profile (profiling flavour): phase marks or a piece of the .cpuprofile JSON. */
  profile: 0x7e,
} as const;
export type RecordKind = keyof typeof RecordType;

/** A code table read backwards: each code to its name. */
function namesByCode<K extends string>(table: Readonly<Record<K, number>>): ReadonlyMap<number, K> {
  return new Map(Object.entries<number>(table).map(([k, v]) => [v, k as K]));
}

export const recordKindOf = namesByCode(RecordType);
export const commandKindOf = namesByCode(CommandType);

/** Codes carried by `error` records. */
export const ErrorCode = {
  unknownCommand: 1,
  badCommand: 2,
  badState: 3,
  unsupported: 4,
  badVersion: 5,
  badCrc: 6,
  tooLarge: 7,
  flash: 8,
  app: 16,
  jsException: 17,
  outOfMemory: 18,
  stackOverflow: 19,
  abort: 20,
  model: 32,
  unsupportedOp: 33,
  arenaTooSmall: 34,
} as const;
export type ErrorCodeName = keyof typeof ErrorCode;
export const errorCodeName = namesByCode(ErrorCode);

export const LogLevel = { debug: 0, info: 1, warn: 2, error: 3 } as const;

// ---- host -> device commands ----

export interface HelloCommand {
  kind: 'hello';
  v?: number;
  /** Largest frame the host accepts and proposes for both directions. */
  maxFrame?: number;
}
export interface RunCommand {
  kind: 'run';
  app: string;
  impl: 'js' | 'c';
  kernels?: 'reference' | 'optimized';
  iterations?: number;
  warmup?: number;
  ops?: boolean;
  /** Model asset the app runs on (e.g. "upload/model" after a model upload); default the app's own. */
  model?: string;
  /** Core event counters per phase (boards that have them; QEMU ignores it). */
  counters?: boolean;
  /** Profiling flavour only: profile the JS run, the sample clock being ticks / profile. */
  profile?: number;
}
export interface StopCommand {
  kind: 'stop';
}
export interface ResetCommand {
  kind: 'reset';
}
export interface UploadBeginCommand {
  kind: 'uploadBegin';
  what: 'model' | 'app' | 'inputs';
  name: string;
  size: number;
  /** CRC-32 of the whole image. */
  crc: number;
}
export interface UploadChunkCommand {
  kind: 'uploadChunk';
  offset: number;
  data: Uint8Array;
  /** CRC-32 of data; computed by the encoder when omitted. */
  crc?: number;
}
export interface UploadEndCommand {
  kind: 'uploadEnd';
  crc: number;
}
/** One board-check item (xsinfer board-check); the ack carries its result. */
export interface CheckCommand {
  kind: 'check';
  item: 'clock' | 'echo' | 'core' | 'ram' | 'flash';
  data?: Uint8Array;
  ms?: number;
}
/** Bytes for XS's debugger (`npx xsinfer debug`); `attach` connects it (XS logs in),
 * `detach` lets the machine run on without it. */
export interface XsbugCommand {
  kind: 'xsbug';
  data?: Uint8Array;
  attach?: boolean;
  detach?: boolean;
}
/** An engine session on a model asset (docs/protocol.md, *Engine sessions*). */
export interface EngineOpenCommand {
  kind: 'engineOpen';
  /** Model asset; the device's default is "upload/model". */
  model?: string;
  kernels?: 'reference' | 'optimized';
}
/** Bytes of one input tensor, in offset order (offset 0 starts it over). */
export interface EngineInputCommand {
  kind: 'engineInput';
  index?: number;
  offset: number;
  data: Uint8Array;
}
/** One timed invoke; `tensor` records with the outputs (and `ops`) come before the ack. */
export interface EngineInvokeCommand {
  kind: 'engineInvoke';
  ops?: boolean;
  dump?: boolean;
  outputs?: boolean;
}
export type Command =
  | XsbugCommand
  | HelloCommand
  | RunCommand
  | StopCommand
  | ResetCommand
  | UploadBeginCommand
  | UploadChunkCommand
  | UploadEndCommand
  | CheckCommand
  | EngineOpenCommand
  | EngineInputCommand
  | EngineInvokeCommand;

// ---- device -> host records ----

interface RecordBase {
  seq: number;
  /** Keys the device sent beyond the ones this type names (forward compatible). */
  extra?: Record<string, unknown>;
}

export interface TickUnit {
  /** "instr" (QEMU icount), "cycles" (DWT), "ns" (host). value = ticks * num / den. */
  unit: string;
  num: number;
  den: number;
  hz?: number;
}

export interface InfoRecord extends RecordBase {
  kind: 'info';
  v: number;
  build: string;
  target: string;
  tick: TickUnit;
  mem: { flash: number; ram: number; stackBottom: number; stackTop: number };
  maxFrame: number;
  /** Seq of the hello this info answers; absent for the boot-time info. */
  cmd?: number;
  /** The serial link settings the image was built with (absent where the link is not a UART). */
  uart?: UartSettings;
}
/** A UART's line settings: bits per second and frame format ("8N1"). */
export interface UartSettings {
  baud: number;
  format: string;
}
export interface AckRecord extends RecordBase {
  kind: 'ack';
  cmd: number;
  type: number;
  duplicate?: boolean;
  v?: number;
  maxFrame?: number;
}
export interface ErrorRecord extends RecordBase {
  kind: 'error';
  code: number;
  codeName: ErrorCodeName | 'unknown';
  message: string;
  cmd?: number;
  type?: number;
}
export interface LogRecord extends RecordBase {
  kind: 'log';
  level: number;
  text: string;
}
export interface PhaseTicks {
  populate: number;
  invoke: number;
  respond: number;
  total: number;
}
/** A count per timed phase (the whole iteration is their sum). */
export interface PhaseCounts {
  populate: number;
  invoke: number;
  respond: number;
}
/** Output inside the timed phases, counted by the board layer (docs/protocol.md, `iter`). */
export interface IterIo {
  /** Bytes handed to the UART. */
  bytes: PhaseCounts;
  /** Text output calls (console, XS trace/reports, board.write). */
  calls: PhaseCounts;
}
export interface IterRecord extends RecordBase {
  kind: 'iter';
  run: number;
  i: number;
  warmup: boolean;
  ticks: PhaseTicks;
  correct?: boolean;
  result?: unknown;
  /** Counted runs on a board with core event counters: per phase the counter deltas. */
  counters?: Record<keyof PhaseTicks, PhaseCounters>;
  /** Derived instructions per phase: cycles − cpi − exc − sleep − lsu + fold. */
  instr?: PhaseTicks;
  /** Absent: the device did not count (older firmware, or a JS iteration that failed). */
  io?: IterIo;
}
/** One phase's core event counters (docs/protocol.md, `iter`). */
export interface PhaseCounters {
  cycles: number;
  cpi: number;
  exc: number;
  sleep: number;
  lsu: number;
  fold: number;
  /** How often the counter sampler interrupted the phase (its instructions are included). */
  samples: number;
}
export const COUNTER_FIELDS = ['cycles', 'cpi', 'exc', 'sleep', 'lsu', 'fold', 'samples'] as const;
export interface OpsRecord extends RecordBase {
  kind: 'ops';
  run: number;
  i: number;
  first: number;
  ticks: number[];
  names?: string[];
}
export interface MemRecord extends RecordBase {
  kind: 'mem';
  arena?: { head?: number; tail?: number; used?: number; size?: number };
  xs?: Record<string, number>;
  stack?: { c?: number; js?: number };
}
export interface DoneRecord extends RecordBase {
  kind: 'done';
  run: number;
  status: number;
  iterations: number;
  tx: { peak: number; cap: number; dropped: number; oversize: number };
}
export interface OverflowRecord extends RecordBase {
  kind: 'overflow';
  /** Totals since boot: records the held TX queue could not take, their bytes, and
   *  records larger than the frame limit. */
  dropped: number;
  droppedBytes: number;
  oversize: number;
}
/** A chunk of a tensor's bytes from an engine_invoke: the model's output `output`, or
 *  output `k` of op `op` (a dump). */
export interface TensorRecord extends RecordBase {
  kind: 'tensor';
  invoke: number;
  output?: number;
  op?: number;
  k?: number;
  type: string;
  size: number;
  offset: number;
  data: Uint8Array;
}
export interface UserRecord extends RecordBase {
  kind: 'user';
  name: string;
  value: unknown;
}
/** Bytes of XS's xsbug stream (debug firmware): `<xsbug>…</xsbug>` messages, in pieces. */
export interface XsbugRecord extends RecordBase {
  kind: 'xsbug';
  data: Uint8Array;
}
/** A JS run's profile: either one timed iteration's phase marks (`at`: its four tick
 *  reads, low 32 bits) or one piece (`seq`) of the .cpuprofile JSON, `last` on the final one. */
export interface ProfileRecord extends RecordBase {
  kind: 'profile';
  run: number;
  i?: number;
  at?: number[];
  data?: string;
  pieceSeq?: number;
  last?: boolean;
  truncated?: boolean;
  /** Ticks per unit of the profile's clock. */
  quantum?: number;
  /** Board ticks at the profile clock's zero. */
  origin?: number;
  poolBytes?: number;
  poolPeak?: number;
}
/** A frame whose type is not known to this host, or whose payload does not match its type. */
export interface InvalidRecord extends RecordBase {
  kind: 'invalid';
  type: number;
  reason: string;
  value: unknown;
}

export type DeviceRecord =
  | InfoRecord
  | AckRecord
  | ErrorRecord
  | LogRecord
  | IterRecord
  | OpsRecord
  | MemRecord
  | DoneRecord
  | OverflowRecord
  | TensorRecord
  | UserRecord
  | XsbugRecord
  | ProfileRecord
  | InvalidRecord;
