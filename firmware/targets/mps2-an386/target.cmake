# mps2-an386: QEMU's Cortex-M4 board, the stand-in for the STM32F413 (stm32f413zh-nucleo).
# QEMU 7.2 (hw/arm/mps2.c) gives the AN386 the AN500's memory map where we use it (4 MB
# SSRAM1 at 0x0, 4 MB SSRAM2/3 at 0x20000000) and the same CMSDK UART0, dual timer and
# 25 MHz clock; it differs in the core (Cortex-M4, 8 MPU regions, single-precision FPU)
# and in what we leave alone (block RAM at 0x01000000, PSRAM at 0x21000000). So the
# AN500's board files and settings serve it with the M4's core flags; board_name()
# reports XSINFER_TARGET_NAME.
include(${XSINFER_ROOT}/firmware/cmake/cortex-m4.cmake)
# The serial link as the host opens it: the AN500's CMSDK UART settings (set again there).
set(XSINFER_UART_BAUD 115200)
set(XSINFER_UART_FORMAT 8N1)
set(XSINFER_TARGET_DIR ${XSINFER_ROOT}/firmware/targets/mps2-an500)
include(${XSINFER_TARGET_DIR}/target.cmake)
