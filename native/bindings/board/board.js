// board – target facts and output (module "board" on the device; typings in device/types/board.d.ts).
export function name() @ "xs_board_name";
export function write(text) @ "xs_board_write";
function memoryFigures() @ "xs_board_memory";
function xsFigures() @ "xs_board_xs_stats";

export function memory() {
  const [flashBytes, ramBytes, stackBottom, stackTop] = memoryFigures();
  return { flashBytes, ramBytes, stackBottom, stackTop };
}

export function xsHeap() {
  const [slotBytes, slotsUsed, slotsPeak, slotsReserved, chunksUsed, chunksPeak, chunksReserved,
    arenaBytes, arenaFree, poolBytes, poolUsed, poolPeak, stackSlots, stackPeakSlots,
    keysUsed, keysReserved] = xsFigures();
  return { slotBytes, slotsUsed, slotsPeak, slotsReserved, chunksUsed, chunksPeak, chunksReserved,
    arenaBytes, arenaFree, poolBytes, poolUsed, poolPeak, stackSlots, stackPeakSlots,
    keysUsed, keysReserved };
}

export function print(text) {
  write(text + "\n");
}
