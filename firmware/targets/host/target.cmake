# host: the same portable code as a Linux executable (fast tests, fuzzing, sanitizers).
option(XSINFER_SANITIZE "Build the host target with ASan and UBSan" OFF)
if(XSINFER_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
set(XSINFER_EXECUTABLE_SUFFIX "")
add_library(xsinfer_board STATIC
  ${CMAKE_CURRENT_LIST_DIR}/board.c
  ${XSINFER_ROOT}/firmware/common/nor_emu.c)
target_link_libraries(xsinfer_board PUBLIC m)
# A software stand-in for core event counters (board.c), so counted runs are tested here.
set(XSINFER_BOARD_COUNTERS ON)
