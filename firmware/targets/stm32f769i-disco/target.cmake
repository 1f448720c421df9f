# stm32f769i-disco: the real board (Cortex-M7 @ 216 MHz, 2 MB flash, 512 KB SRAM).
include(${XSINFER_ROOT}/firmware/cmake/cortex-m7.cmake)
set(XSINFER_FLASH_LIMIT 2097152)
set(XSINFER_RAM_LIMIT 524288)
