// The host side of the wire protocol: framing, decoding, commands, links, recordings.
export * from './protocol.ts';
export { crc32 } from './crc32.ts';
export { cobsDecode, cobsEncode, cobsMaxEncoded } from './cobs.ts';
export { buildRawFrame, checkRawFrame, encodeFrame, type Frame } from './frame.ts';
export {
  Deframer,
  DeframerStream,
  deframe,
  emptyCounters,
  type DeframerCounters,
  type DeframerOptions,
} from './deframer.ts';
export { decodeRecord, unpackPayload } from './records.ts';
export {
  CommandEncoder,
  FrameTooLargeError,
  commandPayload,
  encodeCommandFrame,
  packPayload,
  type EncodedCommand,
} from './commands.ts';
export {
  Direction,
  RecordingError,
  RecordingWriter,
  parseRecording,
  readRecording,
  replayRecording,
  type Recording,
  type RecordingEntry,
  type RecordingMeta,
  type Replay,
} from './recording.ts';
export {
  LinkError,
  ST_LINK_IDS,
  findStLinkPort,
  linkFromSocket,
  listPorts,
  openLink,
  openProcessLink,
  parseQemuPty,
  openSerialLink,
  openTcpLink,
  type Link,
  type PortInfo,
  type ProcessLink,
} from './link.ts';
export { DeviceSession, SessionError, type SessionOptions } from './session.ts';
export { formatRecord, ticksToMs, ticksToUnit } from './format.ts';
export { uploadChunkBytes, uploadImage, type UploadResult } from './upload.ts';
export { hostTimeNs } from './time.ts';
export {
  ENGINE_INVOKE_TIMEOUT_MS,
  EngineProtocolError,
  engineInput,
  engineInvoke,
  engineOpen,
  type EngineInvokeResult,
  type EngineOpenResult,
  type TensorSpec,
} from './engine.ts';
