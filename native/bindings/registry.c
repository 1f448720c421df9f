/*
 * registry.c – the table that binds `@ "name"` declarations in archives to C functions.
 */
#include "xsinfer_bindings.h"

static const xsinfer_xs_host_t hosts[] = {
    {"xs_timer_ticks", xs_timer_ticks},
    {"xs_timer_info", xs_timer_info},
    {"xs_board_name", xs_board_name},
    {"xs_board_memory", xs_board_memory},
    {"xs_board_xs_stats", xs_board_xs_stats},
    {"xs_board_write", xs_board_write},
    {"xs_micro_nop", xs_micro_nop},
    {"xs_micro_scratch", xs_micro_scratch},
    {"xs_micro_scratch_sum", xs_micro_scratch_sum},
};

const xsinfer_xs_host_t *xsinfer_bindings_hosts(uint32_t *count) {
  *count = (uint32_t)(sizeof(hosts) / sizeof(hosts[0]));
  return hosts;
}
