// Throughput of the host receive path (deframe, deframe + record decode) and the wire
// overhead per frame. Prints figures; asserts nothing. Run: npx tsx host/bridge/bench-deframer.ts
import { Packr } from 'msgpackr';
import { cobsMaxEncoded } from './cobs.ts';
import { Deframer } from './deframer.ts';
import { encodeFrame } from './frame.ts';
import { FRAME_OVERHEAD_BYTES, RecordType } from './protocol.ts';
import { decodeRecord } from './records.ts';

const packr = new Packr({ useRecords: false, variableMapSize: true });

function iterPayload(i: number): Uint8Array {
  return packr.pack({
    run: 3,
    i,
    warmup: false,
    ticks: { populate: 1_234_567 + i, invoke: 9_332_854 + i, respond: 4_321 + i, total: 10_571_742 + 3 * i },
    correct: true,
    result: { label: 'yes', score: 200 },
  });
}

function stream(n: number, payload: (i: number) => Uint8Array, type: number): Buffer {
  return Buffer.concat(Array.from({ length: n }, (_, i) => encodeFrame(type, i & 0xffff, payload(i))));
}

function bench(name: string, data: Buffer, frames: number, chunk: number, decode: boolean): void {
  const rounds = 5;
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const d = new Deframer({ maxFrame: 16384, now: () => 0n });
    const t0 = process.hrtime.bigint();
    let got = 0;
    for (let pos = 0; pos < data.length; pos += chunk) {
      for (const f of d.push(data.subarray(pos, pos + chunk))) {
        if (decode) decodeRecord(f);
        got++;
      }
    }
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (got !== frames) throw new Error(`${name}: ${got} of ${frames} frames`);
    best = Math.min(best, s);
  }
  const fps = frames / best;
  const mbps = data.length / best / 1e6;
  console.log(
    `${name.padEnd(44)} ${Math.round(fps).toLocaleString('en-US').padStart(11)} frames/s ${mbps.toFixed(1).padStart(7)} MB/s`,
  );
}

const n = 100_000;
const iters = stream(n, iterPayload, RecordType.iter);
const avg = iters.length / n;
console.log(
  `iter record: ${iterPayload(0).length} B payload, ${avg.toFixed(1)} B on the wire per frame; ${(iters.length / 1e6).toFixed(1)} MB stream`,
);
for (const chunk of [64, 4096, 65536]) bench(`iter frames, ${chunk} B reads, deframe only`, iters, n, chunk, false);
for (const chunk of [4096]) bench(`iter frames, ${chunk} B reads, deframe + decode`, iters, n, chunk, true);

const bigN = 20_000;
const big = stream(
  bigN,
  (i) => packr.pack({ name: 'blob', value: new Uint8Array(1000).fill(i & 0xff || 1) }),
  RecordType.user,
);
bench('1,017 B frames, 4096 B reads, deframe only', big, bigN, 4096, false);

console.log('\nframe overhead (payload -> bytes on the wire = payload + 3 header + 4 CRC + COBS + 1 delimiter):');
for (const p of [0, 16, 64, 90, 247, 254, 512, 1017]) {
  const worst = cobsMaxEncoded(p + FRAME_OVERHEAD_BYTES) + 1;
  console.log(
    `  payload ${String(p).padStart(5)} B -> at most ${String(worst).padStart(5)} B (+${worst - p}, ${(((worst - p) / Math.max(p, 1)) * 100).toFixed(1)}%)`,
  );
}
const uartBytesPerS = 115200 / 10;
console.log(
  `\nat 115200 baud 8N1 (${uartBytesPerS} B/s) one ${avg.toFixed(0)}-byte iter frame takes ${((avg / uartBytesPerS) * 1000).toFixed(2)} ms: ${Math.floor(uartBytesPerS / avg)} iter records/s`,
);
