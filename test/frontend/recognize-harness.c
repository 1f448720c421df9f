/*
 * recognize-harness.c – host driver for the C RecognizeCommands twin
 * (native/baseline/recognize_commands.c), built by test/frontend/recognize-commands.test.ts.
 * stdin: window threshold suppression minimum categories steps, then per step
 * time_ms and `categories` scores. stdout per step: "R <status> <label> <score> <new>"
 * (status -1 = rejected, result fields then unchanged), finally "DROPPED <n>".
 */
#include <stdio.h>

#include "recognize_commands.h"

int main(void) {
  long w, th, sup, minc, cats, steps;
  if (scanf("%ld %ld %ld %ld %ld %ld", &w, &th, &sup, &minc, &cats, &steps) != 6) return 2;
  rc_state_t s;
  if (rc_init(&s, (int32_t)w, (int32_t)th, (int32_t)sup, (int32_t)minc, (int32_t)cats) != 0)
    return 2;
  rc_result_t r = {0, 0, 0};
  for (long k = 0; k < steps; ++k) {
    long t;
    uint8_t scores[RC_MAX_CATEGORIES];
    if (scanf("%ld", &t) != 1) return 2;
    for (long i = 0; i < cats; ++i) {
      long v;
      if (scanf("%ld", &v) != 1) return 2;
      scores[i] = (uint8_t)v;
    }
    const int st = rc_process(&s, scores, (int32_t)t, &r);
    printf("R %d %ld %ld %ld\n", st, (long)r.label, (long)r.score, (long)r.is_new);
  }
  printf("DROPPED %lu\n", (unsigned long)s.dropped);
  return 0;
}
