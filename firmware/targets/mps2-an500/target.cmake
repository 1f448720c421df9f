# mps2-an500: QEMU's Cortex-M7 board, the default run and CI target.
set(XSINFER_ARM_FLAGS -mcpu=cortex-m7 -mthumb -mfpu=fpv5-d16 -mfloat-abi=hard)
add_compile_options(${XSINFER_ARM_FLAGS} -ffunction-sections -fdata-sections -fno-common)
add_link_options(${XSINFER_ARM_FLAGS} --specs=nano.specs -nostartfiles -Wl,--gc-sections
                 -T${CMAKE_CURRENT_LIST_DIR}/layout.ld)
set(XSINFER_EXECUTABLE_SUFFIX ".elf")
set(XSINFER_FLASH_LIMIT 4194304)
set(XSINFER_RAM_LIMIT 4194304)
add_library(xsinfer_board STATIC
  ${CMAKE_CURRENT_LIST_DIR}/startup.c
  ${CMAKE_CURRENT_LIST_DIR}/board.c
  ${XSINFER_ROOT}/firmware/common/armv7m_faults.c
  ${XSINFER_ROOT}/firmware/common/newlib_stubs.c
  ${XSINFER_ROOT}/firmware/common/console.c
  ${XSINFER_ROOT}/firmware/common/cmdline.c
  ${XSINFER_ROOT}/firmware/common/stack_watermark.c
  ${CMAKE_BINARY_DIR}/gen/build_id.c)
