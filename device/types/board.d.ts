// Typings of the device module "board" (native/bindings/board): target facts and output.
declare module 'board' {
  export interface MemoryFigures {
    flashBytes: number;
    ramBytes: number;
    stackBottom: number;
    stackTop: number;
  }
  /** XS heap figures: slots are counted in slots of slotBytes; chunks, arena, pool in bytes. */
  export interface XsHeapFigures {
    slotBytes: number;
    slotsUsed: number;
    slotsPeak: number;
    slotsReserved: number;
    chunksUsed: number;
    chunksPeak: number;
    chunksReserved: number;
    arenaBytes: number;
    arenaFree: number;
    poolBytes: number;
    poolUsed: number;
    poolPeak: number;
    stackSlots: number;
    stackPeakSlots: number;
    keysUsed: number;
    keysReserved: number;
  }
  /** Target name as the CLI spells it: "mps2-an500", "stm32f769i-disco", "host". */
  export function name(): string;
  export function memory(): MemoryFigures;
  export function xsHeap(): XsHeapFigures;
  /** Writes text to the host link as is. */
  export function write(text: string): void;
  /** Writes text and a newline. */
  export function print(text: string): void;
}
