# stm32f769i-disco: the real board (Cortex-M7 @ 216 MHz, 2 MB flash, 512 KB SRAM).
set(XSINFER_ARM_FLAGS -mcpu=cortex-m7 -mthumb -mfpu=fpv5-d16 -mfloat-abi=hard)
add_compile_options(${XSINFER_ARM_FLAGS} -ffunction-sections -fdata-sections -fno-common)
add_link_options(${XSINFER_ARM_FLAGS} --specs=nano.specs -nostartfiles -Wl,--gc-sections
                 -T${CMAKE_CURRENT_LIST_DIR}/layout.ld)
set(XSINFER_EXECUTABLE_SUFFIX ".elf")
set(XSINFER_FLASH_LIMIT 2097152)
set(XSINFER_RAM_LIMIT 524288)
add_library(xsinfer_board STATIC
  ${CMAKE_CURRENT_LIST_DIR}/startup.c
  ${CMAKE_CURRENT_LIST_DIR}/board.c
  ${XSINFER_ROOT}/firmware/common/armv7m_faults.c
  ${XSINFER_ROOT}/firmware/common/newlib_stubs.c
  ${XSINFER_ROOT}/firmware/common/console.c
  ${XSINFER_ROOT}/firmware/common/cmdline.c
  ${XSINFER_ROOT}/firmware/common/stack_watermark.c
  ${CMAKE_BINARY_DIR}/gen/build_id.c)
