# stm32f769i-disco: the real board (Cortex-M7 @ 216 MHz, 2 MB flash, 512 KB SRAM).
include(${XSINFER_ROOT}/firmware/cmake/cortex-m7.cmake)
set(XSINFER_FLASH_LIMIT 2097152)
set(XSINFER_RAM_LIMIT 524288)
# USART1 through the ST-LINK virtual COM port, as the host must open it (one source: the
# firmware's compile definition and bin/board.json both come from here).
set(XSINFER_UART_BAUD 921600)
set(XSINFER_UART_FORMAT 8N1)
set(XSINFER_FLASH_BASE 0x08000000)
# Core event counters (DWT) for counted runs, sampled from SysTick.
set(XSINFER_BOARD_COUNTERS ON)
target_sources(xsinfer_board PRIVATE ${XSINFER_ROOT}/firmware/common/dwt_counters.c)
# What every real board's board.h does alike (no semihosting; exit and reset).
target_sources(xsinfer_board PRIVATE ${XSINFER_ROOT}/firmware/common/board_standalone.c)
# The STM32F4/F7 embedded-flash controller behind the upload slots.
target_sources(xsinfer_board PRIVATE ${XSINFER_ROOT}/firmware/common/stm32_flash.c)
# The 64-bit DWT cycle counter (board_ticks) and its TIM2 wrap guard.
target_sources(xsinfer_board PRIVATE ${XSINFER_ROOT}/firmware/common/stm32_cycles.c)
