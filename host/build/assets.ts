// Assets embedded in every firmware image as read-only data (flash on the boards):
// the models and, derived from testdata, each app's inputs and expected outputs, so the
// apps run and check themselves without any host file access (the F769 has none).
// Writes build/<target>/gen/assets/*.bin, gen/assets.S (.incbin) and gen/assets.c (the table).
import fs from 'node:fs';
import path from 'node:path';
import { dataDir } from '../data.ts';
import { writeIfChanged } from './files.ts';

interface Asset {
  name: string;
  bytes: Buffer;
}

interface GoldenCase {
  name: string;
  input: number[];
  output: number[];
  label?: number;
  x_float?: number;
}

function golden(model: string): { cases: GoldenCase[] } {
  return JSON.parse(fs.readFileSync(path.join(dataDir(), 'golden', `${model}.json`), 'utf8'));
}

function int8(values: number[]): Buffer {
  return Buffer.from(Int8Array.from(values).buffer);
}

/** Binary PGM (P5) pixels; header: magic, width, height, maxval, single whitespace. */
export function readPgm(file: string): { width: number; height: number; pixels: Buffer } {
  const data = fs.readFileSync(file);
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error(`${file}: not a binary PGM`);
  const width = Number(header[1]);
  const height = Number(header[2]);
  const pixels = data.subarray(header[0].length, header[0].length + width * height);
  if (pixels.length !== width * height) throw new Error(`${file}: truncated PGM`);
  return { width, height, pixels };
}

/** 16 kHz mono int16 PCM with the 44-byte RIFF header of the TFLM test clips. */
export function readWavSamples(file: string): Buffer {
  const data = fs.readFileSync(file);
  if (data.toString('latin1', 0, 4) !== 'RIFF' || data.toString('latin1', 36, 40) !== 'data') {
    throw new Error(`${file}: not a canonical 44-byte-header WAV`);
  }
  return data.subarray(44, 44 + data.readUInt32LE(40));
}

export const speechClips = ['yes_1000ms', 'no_1000ms', 'silence_1000ms', 'noise_1000ms'] as const;
/** micro_speech labels: 0 silence, 1 unknown, 2 yes, 3 no (TFLM's test expects noise → silence). */
export const speechLabels = [2, 3, 0, 0];
export const personImages = [
  { golden: 'person', file: 'person_96x96.pgm', label: 1 },
  { golden: 'no_person', file: 'no_person_96x96.pgm', label: 0 },
];

/** The models each app family runs; an app's family is its name without _stream, _ts or _fast. */
const familyModels: Record<string, string[]> = {
  hello_world: ['hello_world_int8'],
  micro_speech: ['micro_speech_quantized', 'audio_preprocessor_int8'],
  mnist: ['mnist_int8'],
  person_detect: ['person_detect'],
};

export const appFamily = (app: string): string => app.replace(/(_stream)?(_ts|_fast)?$/, '');

/** Every asset, or (given the image's built-in apps) those of the apps' families only. */
export function collectAssets(apps?: string[]): Asset[] {
  const all = collectAllAssets();
  if (!apps) return all;
  const families = new Set(apps.map(appFamily));
  const models = new Set([...families].flatMap((f) => familyModels[f] ?? []).map((m) => `models/${m}.tflite`));
  // The front end's golden features (7.8 KB) serve only the stream apps and the pure-TS
  // front end's check, not micro_speech's clip mode.
  const features = apps.some((a) => appFamily(a) === 'micro_speech' && a !== 'micro_speech');
  return all.filter(
    (a) =>
      (models.has(a.name) || families.has(a.name.split('/')[0])) && (features || a.name !== 'micro_speech/features.i8'),
  );
}

function collectAllAssets(): Asset[] {
  const dir = dataDir();
  const assets: Asset[] = [];
  for (const model of Object.values(familyModels).flat()) {
    assets.push({
      name: `models/${model}.tflite`,
      bytes: fs.readFileSync(path.join(dir, 'models', `${model}.tflite`)),
    });
  }

  const hello = golden('hello_world_int8').cases;
  assets.push({
    name: 'hello_world/x.f32',
    bytes: Buffer.from(Float32Array.from(hello.map((c) => c.x_float ?? NaN)).buffer),
  });
  assets.push({ name: 'hello_world/expected.i8', bytes: int8(hello.map((c) => c.output[0])) });

  const mnist = golden('mnist_int8').cases;
  const digits = mnist.map((c, d) => {
    const { pixels } = readPgm(path.join(dir, 'data', 'mnist', `digit_${d}.pgm`));
    // The golden input is pixel - 128 for every pixel (testdata README): check we embed the same digit.
    if (!pixels.every((p, i) => p - 128 === c.input[i]))
      throw new Error(`digit_${d}.pgm does not match golden case ${c.name}`);
    return pixels;
  });
  assets.push({ name: 'mnist/digits.u8', bytes: Buffer.concat(digits) });
  assets.push({ name: 'mnist/expected.i8', bytes: int8(mnist.flatMap((c) => c.output)) });
  assets.push({ name: 'mnist/labels.u8', bytes: Buffer.from(mnist.map((c) => c.label ?? 255)) });

  const speech = golden('micro_speech_quantized').cases;
  const features = JSON.parse(fs.readFileSync(path.join(dir, 'golden', 'audio_preprocessor_int8.json'), 'utf8')) as {
    cases: { name: string; feature_vector_1960: number[] }[];
  };
  assets.push({
    name: 'micro_speech/clips.i16',
    bytes: Buffer.concat(
      speechClips.map((clip) =>
        readWavSamples(path.join(dir, 'data', 'micro_speech', `${clip}.wav`)).subarray(0, 32000),
      ),
    ),
  });
  assets.push({
    name: 'micro_speech/features.i8',
    bytes: int8(speechClips.flatMap((clip) => features.cases.find((c) => c.name === clip)!.feature_vector_1960)),
  });
  assets.push({
    name: 'micro_speech/expected.i8',
    bytes: int8(speechClips.flatMap((clip) => speech.find((c) => c.name === clip)!.output)),
  });
  assets.push({ name: 'micro_speech/labels.u8', bytes: Buffer.from(speechLabels) });

  const person = golden('person_detect').cases;
  assets.push({
    name: 'person_detect/images.u8',
    bytes: Buffer.concat(personImages.map((p) => readPgm(path.join(dir, 'data', 'person_detection', p.file)).pixels)),
  });
  assets.push({
    name: 'person_detect/expected.i8',
    bytes: int8(personImages.flatMap((p) => person.find((c) => c.name === p.golden)!.output)),
  });
  assets.push({ name: 'person_detect/labels.u8', bytes: Buffer.from(personImages.map((p) => p.label)) });
  return assets;
}

export function generateAssets(buildDir: string, apps?: string[]): void {
  const gen = path.join(buildDir, 'gen');
  const assets = collectAssets(apps);
  const asm: string[] = ['/* generated by host/build/assets.ts */', '.section .rodata.xsinfer_assets,"a"'];
  const table: string[] = ['/* generated by host/build/assets.ts */', '#include "assets.h"', ''];
  assets.forEach((asset, i) => {
    const file = path.join(gen, 'assets', asset.name.replace(/\//g, '__'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (!fs.existsSync(file) || !fs.readFileSync(file).equals(asset.bytes)) fs.writeFileSync(file, asset.bytes);
    // 16-byte alignment: models are read in place and the engine requires it.
    asm.push('.balign 16', `.global xsinfer_asset_${i}`, `xsinfer_asset_${i}:`, `.incbin "${file}"`);
    table.push(`extern const uint8_t xsinfer_asset_${i}[];`);
  });
  asm.push('');
  table.push('', 'const asset_t xsinfer_assets[] = {');
  assets.forEach((asset, i) => table.push(`  {"${asset.name}", xsinfer_asset_${i}, ${asset.bytes.length}u},`));
  table.push('};', `const uint32_t xsinfer_asset_count = ${assets.length}u;`, '');
  writeIfChanged(path.join(gen, 'assets.S'), asm.join('\n'));
  writeIfChanged(path.join(gen, 'assets.c'), table.join('\n'));
}
