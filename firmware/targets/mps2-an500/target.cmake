# mps2-an500: QEMU's Cortex-M7 board, the default run and CI target.
include(${XSINFER_ROOT}/firmware/cmake/cortex-m7.cmake)
set(XSINFER_FLASH_LIMIT 4194304)
set(XSINFER_RAM_LIMIT 4194304)
# The upload slots' NOR-flash behaviour (shared with the host target).
target_sources(xsinfer_board PRIVATE ${XSINFER_ROOT}/firmware/common/nor_emu.c)
