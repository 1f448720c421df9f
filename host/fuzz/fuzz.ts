// Bounded libFuzzer runs of the two parsers that take bytes from outside: the model reader
// (+ allocate + invoke) and the device's wire receive path. Built with clang under ASan and
// UBSan; seeded from the test data; stored regression inputs are replayed first.
import fs from 'node:fs';
import path from 'node:path';
import { exec } from '../exec.ts';
import { dataDir } from '../data.ts';
import { XsinferError } from '../errors.ts';
import { buildRoot, repoRoot } from '../paths.ts';

export interface FuzzTarget {
  name: 'model' | 'wire';
  sources: () => string[];
  includes: string[];
  seeds: () => string[];
  regressions: string;
}

const engine = path.join(repoRoot, 'native', 'engine');
const wire = path.join(repoRoot, 'native', 'wire');
const cFiles = (dir: string) =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.c'))
        .map((f) => path.join(dir, f))
    : [];

export const fuzzTargets: FuzzTarget[] = [
  {
    name: 'model',
    sources: () => [
      path.join(engine, 'fuzz', 'fuzz_model.c'),
      ...cFiles(path.join(engine, 'src')),
      ...fs.readdirSync(path.join(engine, 'kernels')).flatMap((set) => cFiles(path.join(engine, 'kernels', set))),
    ],
    includes: [path.join(engine, 'include'), path.join(engine, 'src')],
    seeds: () => {
      const dirs = [path.join(dataDir(), 'models'), path.join(dataDir(), 'ops', 'models')];
      return dirs.flatMap((d) =>
        fs.existsSync(d)
          ? fs
              .readdirSync(d)
              .filter((f) => f.endsWith('.tflite'))
              .map((f) => path.join(d, f))
          : [],
      );
    },
    regressions: path.join(engine, 'fuzz', 'regressions'),
  },
  {
    name: 'wire',
    sources: () => [path.join(wire, 'fuzz', 'fuzz_rx.c'), ...cFiles(path.join(wire, 'src'))],
    includes: [path.join(wire, 'include'), path.join(wire, 'src')],
    seeds: () => [],
    regressions: path.join(wire, 'fuzz', 'regressions'),
  },
];

export interface FuzzResult {
  target: string;
  executions: number;
  seconds: number;
  regressionsReplayed: number;
  crashed: boolean;
  output: string;
}

async function build(target: FuzzTarget, outDir: string): Promise<string> {
  const binary = path.join(outDir, `fuzz_${target.name}`);
  const args = [
    '-std=gnu11',
    '-g',
    '-O1',
    '-fsanitize=fuzzer,address,undefined',
    '-fno-sanitize-recover=undefined',
    ...target.includes.map((i) => `-I${i}`),
    ...target.sources(),
    '-lm',
    '-o',
    binary,
  ];
  const r = await exec('clang', args);
  if (r.code !== 0)
    throw new XsinferError('BUILD_FAILED', `building the ${target.name} fuzzer failed:\n${r.stderr.slice(-3000)}`);
  return binary;
}

export async function runFuzz(target: FuzzTarget, seconds: number): Promise<FuzzResult> {
  const outDir = path.join(buildRoot, 'fuzz', target.name);
  const corpus = path.join(outDir, 'corpus');
  fs.mkdirSync(corpus, { recursive: true });
  const binary = await build(target, outDir);
  for (const seed of target.seeds()) {
    const dst = path.join(corpus, path.basename(seed));
    if (!fs.existsSync(dst)) fs.copyFileSync(seed, dst);
  }
  // Stored inputs that once crashed must keep passing.
  const regressions = fs.existsSync(target.regressions)
    ? fs
        .readdirSync(target.regressions)
        .filter((f) => !f.startsWith('.'))
        .map((f) => path.join(target.regressions, f))
    : [];
  if (regressions.length) {
    const replay = await exec(binary, regressions);
    if (replay.code !== 0) {
      return {
        target: target.name,
        executions: 0,
        seconds: 0,
        regressionsReplayed: regressions.length,
        crashed: true,
        output: replay.stderr.slice(-4000),
      };
    }
  }
  const artifacts = path.join(outDir, 'artifacts') + path.sep;
  fs.mkdirSync(artifacts, { recursive: true });
  const run = await exec(
    binary,
    [
      corpus,
      `-max_total_time=${seconds}`,
      '-print_final_stats=1',
      `-artifact_prefix=${artifacts}`,
      '-rss_limit_mb=2048',
    ],
    { timeoutMs: (seconds + 600) * 1000 },
  );
  const executions = Number(/stat::number_of_executed_units:\s*(\d+)/.exec(run.stderr)?.[1] ?? 0);
  return {
    target: target.name,
    executions,
    seconds,
    regressionsReplayed: regressions.length,
    crashed: run.code !== 0,
    output: run.stderr.slice(-4000),
  };
}
