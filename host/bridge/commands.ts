// Host -> device commands: msgpack payloads with the keys of docs/protocol.md, framed
// with this direction's sequence number (0 at every hello).
import { Packr } from 'msgpackr';
import { crc32 } from './crc32.ts';
import { buildRawFrame } from './frame.ts';
import { cobsEncode } from './cobs.ts';
import { CommandType, PROTOCOL_VERSION, type Command } from './protocol.ts';

const packr = new Packr({ useRecords: false, variableMapSize: true });

export interface EncodedCommand {
  command: Command;
  type: number;
  seq: number;
  /** Decoded frame (what a recording stores). */
  raw: Uint8Array;
  /** Bytes for the link (COBS + 0x00); send again unchanged to retry. */
  wire: Uint8Array;
}

/** The msgpack map a command carries. */
export function commandPayload(cmd: Command): Record<string, unknown> {
  switch (cmd.kind) {
    case 'hello': {
      const p: Record<string, unknown> = { v: cmd.v ?? PROTOCOL_VERSION };
      if (cmd.maxFrame !== undefined) p.maxFrame = cmd.maxFrame;
      return p;
    }
    case 'run': {
      const p: Record<string, unknown> = {
        app: cmd.app,
        impl: cmd.impl,
        kernels: cmd.kernels ?? 'reference',
        iterations: cmd.iterations ?? 1,
        warmup: cmd.warmup ?? 0,
        ops: cmd.ops ?? false,
      };
      // Only when given: a run without it is byte-identical to what older hosts sent.
      if (cmd.model !== undefined) p.model = cmd.model;
      if (cmd.counters) p.counters = true;
      if (cmd.profile) p.profile = cmd.profile;
      return p;
    }
    case 'stop':
    case 'reset':
      return {};
    case 'uploadBegin':
      return { kind: cmd.what, name: cmd.name, size: cmd.size, crc: cmd.crc };
    case 'uploadChunk':
      return { offset: cmd.offset, data: cmd.data, crc: cmd.crc ?? crc32(cmd.data) };
    case 'uploadEnd':
      return { crc: cmd.crc };
    case 'xsbug': {
      const p: Record<string, unknown> = {};
      if (cmd.data !== undefined) p.data = cmd.data;
      if (cmd.attach) p.attach = true;
      if (cmd.detach) p.detach = true;
      return p;
    }
    case 'check': {
      const p: Record<string, unknown> = { item: cmd.item };
      if (cmd.data !== undefined) p.data = cmd.data;
      if (cmd.ms !== undefined) p.ms = cmd.ms;
      return p;
    }
    case 'engineOpen': {
      const p: Record<string, unknown> = { kernels: cmd.kernels ?? 'reference' };
      if (cmd.model !== undefined) p.model = cmd.model;
      return p;
    }
    case 'engineInput':
      return { index: cmd.index ?? 0, offset: cmd.offset, data: cmd.data };
    case 'engineInvoke':
      return { ops: cmd.ops ?? false, dump: cmd.dump ?? false, outputs: cmd.outputs ?? true };
  }
}

export function packPayload(value: unknown): Uint8Array {
  return packr.pack(value);
}

export class FrameTooLargeError extends Error {
  readonly code = 'FRAME_TOO_LARGE';
}

/** Numbers host commands; a hello restarts the count at 0. */
export class CommandEncoder {
  private nextSeq = 0;

  /** Frame cmd with the next seq. A frame over maxFrame throws and uses up no seq, so
   *  the device sees no gap. */
  encode(cmd: Command, maxFrame = Infinity): EncodedCommand {
    const seq = cmd.kind === 'hello' ? 0 : this.nextSeq;
    const type = CommandType[cmd.kind];
    const enc = encodeCommandFrame(cmd, type, seq, packPayload(commandPayload(cmd)));
    if (enc.raw.length > maxFrame && cmd.kind !== 'hello') {
      throw new FrameTooLargeError(
        `${cmd.kind} needs a ${enc.raw.length}-byte frame; the device accepts ${maxFrame} (send smaller chunks)`,
      );
    }
    this.nextSeq = (seq + 1) & 0xffff;
    return enc;
  }
}

/** Frame an explicit payload (tests use it to send malformed or unknown commands). */
export function encodeCommandFrame(command: Command, type: number, seq: number, payload: Uint8Array): EncodedCommand {
  const raw = buildRawFrame(type, seq, payload);
  return { command, type, seq, raw, wire: cobsEncode(raw, true) };
}
