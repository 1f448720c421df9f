# mps2-an500: QEMU's Cortex-M7 board, the default run and CI target.
include(${XSINFER_ROOT}/firmware/cmake/cortex-m7.cmake)
set(XSINFER_FLASH_LIMIT 4194304)
set(XSINFER_RAM_LIMIT 4194304)
# The serial link as the host must open it (one source: the firmware's compile definition
# and bin/board.json both come from here). QEMU does not pace the CMSDK UART; the divider
# is still set from this rate, and a pty backend takes it as its line speed.
set(XSINFER_UART_BAUD 115200)
set(XSINFER_UART_FORMAT 8N1)
set(XSINFER_FLASH_BASE 0x00000000)
# The upload slots' NOR-flash behaviour (shared with the host target).
target_sources(xsinfer_board PRIVATE ${XSINFER_ROOT}/firmware/common/nor_emu.c)
