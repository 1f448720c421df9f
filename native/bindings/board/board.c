/*
 * board.c – host functions of the JS module "board": target name, memory figures, XS heap
 * figures, and text output to the host (the route XS's console takes: xsinfer_xs_write).
 */
#include "xsinfer/platform.h"
#include "xsinfer_bindings.h"

void xs_board_name(xsMachine *the) {
  xsResult = xsString(board_name());
}

/* [flashBytes, ramBytes, stackBottom, stackTop] */
void xs_board_memory(xsMachine *the) {
  board_memory_t m;
  board_memory(&m);
  xsResult = xsNewArray(4);
  xsSetAt(xsResult, xsInteger(0), xsNumber(m.flash_bytes));
  xsSetAt(xsResult, xsInteger(1), xsNumber(m.ram_bytes));
  xsSetAt(xsResult, xsInteger(2), xsNumber((xsNumberValue)m.stack_bottom));
  xsSetAt(xsResult, xsInteger(3), xsNumber((xsNumberValue)m.stack_top));
}

/* [slotBytes, slotsUsed, slotsPeak, slotsReserved, chunksUsed, chunksPeak, chunksReserved,
 *  arenaBytes, arenaFree, poolBytes, poolUsed, poolPeak, stackSlots, stackPeakSlots,
 *  keysUsed, keysReserved] – order fixed with device/types/board.d.ts. */
void xs_board_xs_stats(xsMachine *the) {
  xsinfer_xs_stats_t s;
  xsinfer_xs_stats(the, &s);
  const uint32_t v[] = {s.slot_bytes,  s.slots_used,       s.slots_peak,      s.slots_reserved,
                        s.chunks_used, s.chunks_peak,      s.chunks_reserved, s.arena_bytes,
                        s.arena_free,  s.pool_bytes,       s.pool_used,       s.pool_peak,
                        s.stack_slots, s.stack_peak_slots, s.keys_used,       s.keys_reserved};
  xsResult = xsNewArray((xsIntegerValue)(sizeof(v) / sizeof(v[0])));
  for (uint32_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
    xsSetAt(xsResult, xsInteger((xsIntegerValue)i), xsNumber(v[i]));
}

void xs_board_write(xsMachine *the) {
  if (xsToInteger(xsArgc) < 1) xsTypeError("write(text): text missing");
  xsStringValue text = xsToString(xsArg(0));
  size_t len = 0;
  while (text[len]) len++;
  xsinfer_xs_write(text, len);
}
