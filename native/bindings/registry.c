/*
 * registry.c – the table that binds `@ "name"` declarations in archives to C functions.
 */
#include "xsinfer_bindings.h"

#include "assets/assets_binding.h"
#include "bench/bench.h"
#include "helpers/helpers.h"
#include "telemetry/telemetry.h"
#include "time/time.h"
#include "timer/timer.h"
#include "tflm/tflm.h"

static const xsinfer_xs_host_t hosts[] = {
    {"xs_time_ticks", xs_time_ticks},
    {"xs_time_ticks32", xs_time_ticks32},
    {"xs_time_info", xs_time_info},
    {"xs_time_microseconds", xs_time_microseconds},
    {"xs_timer_now", xs_timer_now},
    {"xs_timer_arm", xs_timer_arm},
    {"xs_timer_delay", xs_timer_delay},
    {"xs_board_name", xs_board_name},
    {"xs_board_memory", xs_board_memory},
    {"xs_board_xs_stats", xs_board_xs_stats},
    {"xs_board_write", xs_board_write},
    {"xs_micro_nop", xs_micro_nop},
    {"xs_micro_scratch", xs_micro_scratch},
    {"xs_micro_scratch_sum", xs_micro_scratch_sum},
    {"xs_tflm_create", xs_tflm_create},
    {"xs_tflm_close", xs_tflm_close},
    {"xs_tflm_tensor", xs_tflm_tensor},
    {"xs_tflm_invoke", xs_tflm_invoke},
    {"xs_tflm_invoker", xs_tflm_invoker},
    {"xs_tflm_bind", xs_tflm_bind},
    /* A host class's destructor takes the host data: XS calls it as one (fxBuildHosts
     * makes a host object, not a function, for a negative length). */
    {"xs_tflm_destructor", (void (*)(xsMachine *))(void (*)(void))xs_tflm_destructor},
    {"xs_tflm_error", xs_tflm_error},
    {"xs_tflm_arena", xs_tflm_arena},
    {"xs_tflm_profile", xs_tflm_profile},
    {"xs_tflm_detach", xs_tflm_detach},
    {"xs_tflm_arena_bytes", xs_tflm_arena_bytes},
    {"xs_assets_view", xs_assets_view},
    {"xs_assets_names", xs_assets_names},
    {"xs_bench_record", xs_bench_record},
    {"xs_bench_gc", xs_bench_gc},
    {"xs_bench_stream_reference", xs_bench_stream_reference},
    {"xs_telemetry_send", xs_telemetry_send},
    {"xs_helpers_map_bytes", xs_helpers_map_bytes},
    {"xs_helpers_quantize", xs_helpers_quantize},
    {"xs_helpers_dequantize", xs_helpers_dequantize},
    {"xs_helpers_copy", xs_helpers_copy},
    {"xs_helpers_copy_ring", xs_helpers_copy_ring},
    {"xs_helpers_argmax", xs_helpers_argmax},
    {"xs_helpers_top_k", xs_helpers_top_k},
    {"xs_helpers_image", xs_helpers_image},
    {"xs_helpers_prepare_quantize", xs_helpers_prepare_quantize},
    {"xs_helpers_prepare_map_bytes", xs_helpers_prepare_map_bytes},
    {"xs_helpers_prepare_copy", xs_helpers_prepare_copy},
    {"xs_helpers_prepare_result", xs_helpers_prepare_result},
    {"xs_helpers_mean_squared_error", xs_helpers_mean_squared_error},
    {"xs_helpers_prepare_mean_squared_error", xs_helpers_prepare_mean_squared_error},
    {"xs_helpers_prepare_top_k", xs_helpers_prepare_top_k},
};

const xsinfer_xs_host_t *xsinfer_bindings_hosts(uint32_t *count) {
  *count = (uint32_t)(sizeof(hosts) / sizeof(hosts[0]));
  return hosts;
}
