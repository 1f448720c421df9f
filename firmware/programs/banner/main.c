/* banner – the first program on every target: says who it is, proves the tick
 * source with a calibrated loop run twice, and exits 0 (1 if the counts differ
 * on a target whose counts must be exactly repeatable).
 * Arguments (board_cmdline) exercise the board layer from tests:
 *   spin=N        time a loop of 2*N instructions (N up to 2^32-1; crosses timer wraps)
 *   write-flash   store to the code region: must fault (the MPU makes it read-only)
 *   exit=N        end with status N instead of the self-test result */
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "console.h"

enum { CALIBRATION_ITERATIONS = 1000000 };

/* Exactly two instructions per iteration on Thumb-2 (subs + bne). */
static void __attribute__((noinline)) calibration_loop(uint32_t iterations) {
#if defined(__arm__)
  __asm__ volatile("1: subs %0, %0, #1\n bne 1b\n" : "+r"(iterations) : : "cc");
#else
  for (volatile uint32_t i = iterations; i > 0; i--) {}
#endif
}

static uint64_t measure_units(uint32_t iterations) {
  const board_tick_unit_t *unit = board_tick_unit();
  uint64_t start = board_ticks();
  calibration_loop(iterations);
  uint64_t ticks = board_ticks() - start;
  return (ticks * unit->num + unit->den / 2) / unit->den;
}

int main(void) {
  board_init();
  const board_tick_unit_t *unit = board_tick_unit();
  board_memory_t memory;
  board_memory(&memory);
  console_printf("xsinfer %s target=%s unit=%s ticks=%lu/%lu hz=%lu\r\n", xsinfer_build_id,
                 board_name(), unit->unit, (unsigned long)unit->num, (unsigned long)unit->den,
                 (unsigned long)unit->hz);
  console_printf("memory flash=%lu ram=%lu stack=%lu\r\n", (unsigned long)memory.flash_bytes,
                 (unsigned long)memory.ram_bytes,
                 (unsigned long)(memory.stack_top - memory.stack_bottom));

  uint64_t first = measure_units(CALIBRATION_ITERATIONS);
  uint64_t second = measure_units(CALIBRATION_ITERATIONS);
  console_printf("calibration loop of %lu instructions: %lu %s, again %lu %s\r\n",
                 (unsigned long)(2u * CALIBRATION_ITERATIONS), (unsigned long)first, unit->unit,
                 (unsigned long)second, unit->unit);

  /* Counts from QEMU's icount are exact; cycles and ns legitimately vary. */
  int repeatable = strcmp(unit->unit, "instr") != 0 || first == second;
  console_printf("tick self-test %s\r\n", repeatable ? "ok" : "FAILED: counts differ");

  const char *args = board_cmdline();
  const char *spin = strstr(args, "spin=");
  if (spin) {
    uint32_t iterations = (uint32_t)strtoul(spin + 5, NULL, 10);
    uint64_t units = measure_units(iterations);
    char text[21];
    console_printf("spin %lu iterations: %s %s\r\n", (unsigned long)iterations,
                   console_u64(text, units), unit->unit);
  }
  if (strstr(args, "write-flash")) {
    console_printf("writing to flash at %p\r\n", (void *)&calibration_loop);
    *(volatile uint32_t *)(uintptr_t)&calibration_loop = 0;
    console_printf("flash write did not fault\r\n");
    return 2;
  }
  const char *exit_arg = strstr(args, "exit=");
  if (exit_arg) return atoi(exit_arg + 5);
  return repeatable ? 0 : 1;
}
