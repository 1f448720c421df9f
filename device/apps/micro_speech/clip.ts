// What the clip-mode micro_speech apps share (apps/micro_speech and micro_speech_fast: TS
// calling the native front end; apps/micro_speech_ts: the pure-TS front end), as
// native/baseline/micro_speech.c has them: one 1 s clip per case, 49 frames of 480
// samples every 320, 40 features per frame, four classes.
export const CLIP_SAMPLES = 16000;
export const FRAMES = 49;
export const FRAME_SAMPLES = 480;
export const FRAME_STRIDE = 320;
export const FEATURES = 40;
export const CLASSES = 4;
/** The audio front end's model (the signal-library graph). */
export const FRONTEND_MODEL = 'models/audio_preprocessor_int8.tflite';
/** Clips in "micro_speech/clips.i16". */
export const CASES = 4;
/** The apps' own model (a run may name another: setup's `name`; the front end stays). */
export const MODEL = 'models/micro_speech_quantized.tflite';
