// The one parser of the bench programs' result lines: bench-c prints "BENCH-C {json}" and
// xs-bench prints "BENCH-JS {json}" in exactly the same format (raw ticks per iteration
// and phase, the answer, the check, the case); both are turned into per-phase summaries
// in the target's unit here.
import { XsinferError } from '../errors.ts';
import { summarize, type Summary } from './stats.ts';

export type AppImpl = 'c' | 'js';

export interface AppIteration {
  populate: number;
  invoke: number;
  respond: number;
  total: number;
  label: number;
  score: number;
  correct: boolean;
  caseIndex: number;
}

export interface AppRun<I extends AppImpl = AppImpl> {
  app: string;
  impl: I;
  kernels: string;
  unit: string;
  wrong: number;
  iterations: AppIteration[];
  phases: Record<'populate' | 'invoke' | 'respond' | 'total', Summary>;
}

/** One run line as the programs print it. */
export interface RawAppRun {
  app: string;
  impl: string;
  kernels: string;
  unit: string;
  num: number;
  den: number;
  wrong: number;
  iterations: [number, number, number, number, number, number, number, number][];
}

/** JSON documents after `tag ` at the start of a line (CR/LF tolerant). */
export function taggedLines(output: string, tag: string): string[] {
  const out: string[] = [];
  for (const line of output.split('\n')) {
    const text = line.replace(/\r$/, '');
    if (text.startsWith(`${tag} `)) out.push(text.slice(tag.length + 1));
  }
  return out;
}

export function toAppRun<I extends AppImpl>(raw: RawAppRun, impl: I): AppRun<I> {
  if (raw.impl !== impl) throw new XsinferError('RUN_FAILED', `expected impl ${impl}, the line says ${raw.impl}`);
  const unit = (ticks: number) => (ticks * raw.num) / raw.den;
  const iterations = raw.iterations.map(([p, i, r, t, label, score, correct, caseIndex]) => ({
    populate: unit(p),
    invoke: unit(i),
    respond: unit(r),
    total: unit(t),
    label,
    score,
    correct: correct === 1,
    caseIndex,
  }));
  return {
    app: raw.app,
    impl,
    kernels: raw.kernels,
    unit: raw.unit,
    wrong: raw.wrong,
    iterations,
    phases: {
      populate: summarize(iterations.map((x) => x.populate)),
      invoke: summarize(iterations.map((x) => x.invoke)),
      respond: summarize(iterations.map((x) => x.respond)),
      total: summarize(iterations.map((x) => x.total)),
    },
  };
}

/** Every `<tag> {json}` run line of a program's output; `<tag>-ERROR` lines throw. */
export function parseAppRuns<I extends AppImpl>(output: string, tag: string, impl: I, program: string): AppRun<I>[] {
  const errors = taggedLines(output, `${tag}-ERROR`);
  if (errors.length) throw new XsinferError('RUN_FAILED', `${program}: ${errors.join('; ')}`);
  return taggedLines(output, tag).map((json) => toAppRun(JSON.parse(json) as RawAppRun, impl));
}
