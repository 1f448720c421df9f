/* micro_speech_stream.h – micro_speech in stream mode (the C app "micro_speech_stream")
 * and its per-step reference, which the C and the JS runs of the app check against.
 *
 * Contract
 * - The stream is the four clips of "micro_speech/clips.i16" back to back (64,000
 *   samples). Step k (one bench iteration, 20 ms of new audio) computes frame k =
 *   samples [320k, 320k + 480) with ONE audio_preprocessor interpreter kept across the
 *   stream (state carried), shifts the 49×40 window by one frame, invokes the model and
 *   feeds RecognizeCommands (1000 ms, 200, 1500 ms, 3) the scores int8 + 128 at time
 *   20k + 30 ms (the end of frame k's audio). Step 0 starts from a fresh state.
 * - The reference is one untimed pass over every step, kept in a static table of
 *   MS_STREAM_STEPS records of MS_STREAM_RECORD bytes (layout below): scores and decision
 *   byte for byte, the 40 feature bytes as their CRC-32 (2.4 KB instead of 9.5 KB of the
 *   F769's SRAM; a differing frame passes only with probability 2^-32). Building it also
 *   proves the stream against the golden clip data where it applies: frames 0..48 equal
 *   feature_vector_1960 of yes_1000ms and step 48's scores equal its golden output.
 * - No allocation; the table is computed once per kernel set and reused.
 */
#ifndef XSINFER_BASELINE_MICRO_SPEECH_STREAM_H
#define XSINFER_BASELINE_MICRO_SPEECH_STREAM_H

#include <stdint.h>

#include "xsinfer/engine.h"

enum {
  MS_STREAM_STEPS = 199,   /* frames of the 4 s stream: 320k + 480 <= 64000 */
  MS_STREAM_RECORD = 12,   /* bytes per step in the reference table */
  MS_REC_FEATURES_CRC = 0, /* uint32 LE: CRC-32 (IEEE) of frame k's 40 feature bytes */
  MS_REC_SCORES = 4,       /* int8[4]: the model's output */
  MS_REC_LABEL = 8,        /* uint8: RecognizeCommands' current command */
  MS_REC_NEW = 9,          /* uint8: 1 when step k detected a new command */
  MS_REC_AVERAGE = 10      /* uint8: its average score (0 while too few results) */
};

/* CRC-32 (IEEE 802.3, reflected, init and final xor 0xFFFFFFFF) of n bytes: how the
 * reference holds each step's features (the table must stay small in SRAM). */
uint32_t ms_stream_crc32(const uint8_t *bytes, uint32_t n);

/* The reference table for `kernels`: builds it (using both arenas; whatever used them
 * before is overwritten) unless it is already built for that kernel set. On failure
 * returns the engine's status with the message in *err (also when the stream does not
 * match the golden clip data) and *table is NULL. */
eng_status_t ms_stream_reference(eng_kernel_set_t kernels, uint8_t *arena, uint32_t arena_bytes,
                                 uint8_t *aux_arena, uint32_t aux_bytes, const uint8_t **table,
                                 eng_error_t *err);

#endif
