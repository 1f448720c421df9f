// The host side of debugging without a device: the flavour table (build directory, CMake
// options, apps), the --xsbug address, and the xsbug frames as the bridge encodes and
// decodes them (docs/protocol.md, "Debugging").
import { afterEach, describe, expect, it } from 'vitest';
import { currentFlavour, flavours } from '../../host/build/flavour.ts';
import { buildName, resolveManifest } from '../../host/build/manifest.ts';
import { CommandEncoder, packPayload } from '../../host/bridge/commands.ts';
import { cobsDecode } from '../../host/bridge/cobs.ts';
import { RecordType } from '../../host/bridge/protocol.ts';
import { decodeRecord, unpackPayload } from '../../host/bridge/records.ts';
import { parseXsbugAddress } from '../../host/debug/relay.ts';

const saved = process.env.XSINFER_FLAVOUR;
afterEach(() => {
  if (saved === undefined) delete process.env.XSINFER_FLAVOUR;
  else process.env.XSINFER_FLAVOUR = saved;
});

describe('firmware flavours', () => {
  it('release builds in build/<target> with the debugger off and no probe app', () => {
    delete process.env.XSINFER_FLAVOUR;
    expect(buildName('mps2-an500')).toBe('mps2-an500');
    expect(currentFlavour().cmake).toEqual({ XSINFER_XS_DEBUG: 'OFF', XSINFER_XS_PROFILE: 'OFF' });
    expect(resolveManifest('mps2-an500').apps).not.toContain('debug_probe');
    expect(resolveManifest('stm32f769i-disco').apps).not.toContain('debug_probe');
  });

  it('debug builds in build/<target>+debug with XSINFER_XS_DEBUG=ON, mxDebug xsarc and its probe app', () => {
    process.env.XSINFER_FLAVOUR = 'debug';
    expect(buildName('mps2-an500')).toBe('mps2-an500+debug');
    expect(buildName('stm32f769i-disco')).toBe('stm32f769i-disco+debug');
    expect(currentFlavour()).toEqual(flavours.debug);
    expect(flavours.debug.cmake).toEqual({ XSINFER_XS_DEBUG: 'ON', XSINFER_XS_PROFILE: 'OFF' });
    expect(flavours.debug.xsarcDefines).toEqual(['mxDebug=1']);
    expect(resolveManifest('mps2-an500').apps).toContain('debug_probe');
    expect(resolveManifest('stm32f769i-disco').apps).toContain('debug_probe');
  });

  it('refuses an unknown flavour', () => {
    process.env.XSINFER_FLAVOUR = 'fast';
    expect(() => buildName('mps2-an500')).toThrow(
      /XSINFER_FLAVOUR=fast: not a firmware flavour \(release, debug, profile\)/,
    );
  });
});

describe('--xsbug addresses', () => {
  it('takes HOST:PORT or PORT', () => {
    expect(parseXsbugAddress('127.0.0.1:5002')).toEqual({ host: '127.0.0.1', port: 5002 });
    expect(parseXsbugAddress('5003')).toEqual({ host: '127.0.0.1', port: 5003 });
    expect(parseXsbugAddress('debug-host:6000')).toEqual({ host: 'debug-host', port: 6000 });
  });
  it.each(['', 'host:', 'host:0', 'host:70000', 'a:b'])('refuses %j', (spec) => {
    expect(() => parseXsbugAddress(spec)).toThrow(/expected HOST:PORT or PORT/);
  });
});

describe('xsbug frames', () => {
  it('encodes the command as type 0x3F {data, attach, detach}', () => {
    const enc = new CommandEncoder().encode({ kind: 'xsbug', data: Uint8Array.of(13, 10, 60), attach: true }, 1024);
    expect(enc.type).toBe(0x3f);
    const frame = cobsDecode(enc.wire.subarray(0, enc.wire.length - 1))!;
    expect(frame[0]).toBe(0x3f);
    const payload = unpackPayload(frame.subarray(3, frame.length - 4)) as { data: Uint8Array; attach: boolean };
    expect(Object.keys(payload)).toEqual(['data', 'attach']);
    expect([...payload.data]).toEqual([13, 10, 60]);
    expect(payload.attach).toBe(true);
  });

  it('decodes record 0x7F {data} and refuses a non-binary data', () => {
    const text = new TextEncoder().encode('\r\n<xsbug><login name="xsinfer" value="XS"/></xsbug>\r\n');
    const rec = decodeRecord({ type: RecordType.xsbug, seq: 7, payload: packPayload({ data: text }) });
    expect(rec.kind).toBe('xsbug');
    expect(rec.seq).toBe(7);
    expect(new TextDecoder().decode((rec as { data: Uint8Array }).data)).toContain('<login name="xsinfer"');
    const bad = decodeRecord({ type: 0x7f, seq: 8, payload: packPayload({ data: 'text' }) });
    expect(bad).toMatchObject({ kind: 'invalid', reason: 'xsbug: data: expected bin' });
  });
});
