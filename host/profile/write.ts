// `bench --profile`: the profiled JS runs of a session → results/<run>/profiles/<app>.cpuprofile
// and the per-phase summaries the report renders (host/profile/profile.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { DeviceRecord, DoneRecord, InfoRecord, TickUnit } from '../bridge/protocol.ts';
import { buildDirFor } from '../build/firmware.ts';
import { repoRoot } from '../paths.ts';
import type { Target } from '../targets.ts';
import { profilesFromRecords, summarize, toDevtools, type ProfileSummary } from './profile.ts';
import { SourceMapper } from './sourcemap.ts';

/** Sample interval of `bench --profile` unless --profile-interval says otherwise, in the
 * target's unit (10,000 instructions on QEMU ≈ 110 samples per mnist POPULATE). */
export const DEFAULT_PROFILE_INTERVAL = 10_000;

/** XS samples every 1,250 units of its clock (xsProfile.c's 1,250 µs). */
const XS_INTERVAL_UNITS = 1250;

/** The clock quantum (ticks per clock unit) for a sample interval in the target's unit. */
export function profileQuantum(interval: number, tick: Pick<TickUnit, 'num' | 'den'>): number {
  const ticks = (interval * tick.den) / tick.num;
  return Math.max(1, Math.round(ticks / XS_INTERVAL_UNITS));
}

/** The tick → unit ratio of a target before its info arrives (firmware/targets/*). */
export function expectedTick(target: Target): Pick<TickUnit, 'num' | 'den'> {
  return target === 'mps2-an500' || target === 'mps2-an386' ? { num: 40, den: 128 } : { num: 1, den: 1 };
}

export function writeProfiles(records: DeviceRecord[], target: Target, outDir: string): ProfileSummary[] {
  const info = records.filter((r): r is InfoRecord => r.kind === 'info').pop();
  if (!info) return [];
  const profiles = profilesFromRecords(records);
  if (!profiles.size) return [];
  const mapper = new SourceMapper(path.join(buildDirFor(target, 'profile'), 'gen', 'device-js'));
  const done = new Map(
    records
      .filter((r): r is DoneRecord => r.kind === 'done')
      .map((d) => [d.run, (d.extra ?? {}) as Record<string, unknown>]),
  );
  const dir = path.join(outDir, 'profiles');
  fs.mkdirSync(dir, { recursive: true });
  const taken = new Set<string>();
  const out: ProfileSummary[] = [];
  for (const p of profiles.values()) {
    const d = done.get(p.run) ?? {};
    const identity = {
      app: String(d.app ?? `run${p.run}`),
      impl: String(d.impl ?? 'js'),
      kernels: String(d.kernels ?? ''),
    };
    let name = identity.app;
    if (taken.has(name)) name = `${identity.app}-${identity.kernels}`;
    for (let k = 2; taken.has(name); k++) name = `${identity.app}-${identity.kernels}-${k}`;
    taken.add(name);
    const file = path.join(dir, `${name}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(toDevtools(p, info.tick, mapper, repoRoot)));
    out.push({ ...summarize(p, info.tick, mapper, repoRoot, identity), file });
  }
  return out;
}
