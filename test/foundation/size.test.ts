// Flash-by-component attribution from a GNU ld map file.
import { describe, expect, it } from 'vitest';
import { componentOf, componentsFromMap } from '../../host/build/size.ts';

describe('size report', () => {
  it('attributes input sections to components', () => {
    expect(componentOf('native/engine/libxsinfer_engine.a(interp.c.obj)')).toBe('engine');
    expect(componentOf('firmware/xs/libxsinfer_xs.a(xsRun.c.obj)')).toBe('xs');
    expect(componentOf('/usr/lib/arm-none-eabi/newlib/thumb/v7e-m+dp/hard/libc_nano.a(libc_a-memcpy.o)')).toBe('libc');
    expect(componentOf('programs/banner/CMakeFiles/banner.dir/main.c.obj')).toBe('program');
  });

  it('sums one-line and two-line map entries of flash sections only', () => {
    const map = [
      'Discarded input sections',
      ' .text.unused   0x00000000       0x40 libxsinfer_engine.a(a.c.obj)',
      'Linker script and memory map',
      '.text           0x00000000     0x1000',
      ' .text.run      0x00000100       0x24 libxsinfer_engine.a(interp.c.obj)',
      ' .text.a_very_long_function_name_that_wraps',
      '                0x00000200       0x10 libxsinfer_xs.a(xsRun.c.obj)',
      '.bss            0x20000000      0x400',
      ' .bss.arena     0x20000000      0x400 libxsinfer_engine.a(interp.c.obj)',
    ].join('\n');
    expect(componentsFromMap(map)).toEqual({ engine: 0x24, xs: 0x10 });
  });
});
