# What the ARM targets share: core flags, newlib-nano, our startup (no crt0), the board
# library's ARMv7-M part (its portable part is added in firmware/CMakeLists.txt). A target
# sets XSINFER_TARGET_DIR's layout.ld and limits.
# The core flags are the Cortex-M7's unless the target set others first (cortex-m4.cmake).
if(NOT DEFINED XSINFER_ARM_FLAGS)
  set(XSINFER_ARM_FLAGS -mcpu=cortex-m7 -mthumb -mfpu=fpv5-d16 -mfloat-abi=hard)
endif()
add_compile_options(${XSINFER_ARM_FLAGS} -ffunction-sections -fdata-sections -fno-common)
add_link_options(${XSINFER_ARM_FLAGS} --specs=nano.specs -nostartfiles -Wl,--gc-sections
                 -T${XSINFER_TARGET_DIR}/layout.ld)
set(XSINFER_EXECUTABLE_SUFFIX ".elf")
add_library(xsinfer_board STATIC
  ${XSINFER_TARGET_DIR}/startup.c
  ${XSINFER_TARGET_DIR}/board.c
  ${XSINFER_ROOT}/firmware/common/armv7m_reset.c
  ${XSINFER_ROOT}/firmware/common/armv7m_faults.c
  ${XSINFER_ROOT}/firmware/common/armv7m_layout.c
  ${XSINFER_ROOT}/firmware/common/newlib_stubs.c)

