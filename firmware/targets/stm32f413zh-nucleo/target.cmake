# stm32f413zh-nucleo: the write-up's second board (NUCLEO-F413ZH: Cortex-M4F @ 100 MHz,
# 1.5 MB flash, 320 KB SRAM). Untested on hardware; its QEMU stand-in is mps2-an386.
include(${XSINFER_ROOT}/firmware/cmake/cortex-m4.cmake)
include(${XSINFER_ROOT}/firmware/cmake/cortex-m7.cmake)
set(XSINFER_FLASH_LIMIT 1572864)
# The serial link as the host must open it (the firmware's compile definition and
# bin/board.json both come from here): USART3 to the ST-LINK virtual COM port.
set(XSINFER_UART_BAUD 921600)
set(XSINFER_UART_FORMAT 8N1)
set(XSINFER_RAM_LIMIT 327680)
# The XS test programs link every app and the pure-TS front end's tables: more than the
# 768 KB image region. The main firmware (xsinfer) runs the same apps over the wire.
set(XSINFER_SKIP_PROGRAMS xs-frontend)
# The one target built for size: at -O2 the main image is 824 KB, over half of the
# 1.5 MB. Everything (XS, engine, C apps) gets -Os alike, so the board's JS-vs-C
# comparison stays like for like; its stand-in mps2-an386 keeps the -O2 of every other
# target, so QEMU counts there are not this image's.
set(CMAKE_C_FLAGS_RELEASE "-Os -g")
# The image region is full: the prepared helpers and meanSquaredError
# (native/bindings/helpers, only the <app>_fast apps use them, none of which this board
# builds) are left out; calling one throws a TypeError.
add_compile_definitions(XSINFER_PREPARED_HELPERS=0)
# What every real board's board.h does alike (no semihosting; exit and reset).
target_sources(xsinfer_board PRIVATE ${XSINFER_ROOT}/firmware/common/board_standalone.c)
# The STM32F4/F7 embedded-flash controller behind the upload slots.
target_sources(xsinfer_board PRIVATE ${XSINFER_ROOT}/firmware/common/stm32_flash.c)
# The 64-bit DWT cycle counter (board_ticks) and its TIM2 wrap guard.
target_sources(xsinfer_board PRIVATE ${XSINFER_ROOT}/firmware/common/stm32_cycles.c)
