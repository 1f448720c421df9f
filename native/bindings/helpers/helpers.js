// helpers – per-element work of POPULATE and RESPOND in C over typed arrays, zero copy
// (module "helpers" on the device; typings in device/types/helpers.d.ts, C in helpers.c).
// Each export is the host function itself: no JS wrapper between the app and C.
export function mapBytes(dst, dstOffset, src, srcOffset, count, table) @ "xs_helpers_map_bytes";
export function quantize(dst, dstOffset, src, srcOffset, count, scale, zeroPoint) @ "xs_helpers_quantize";
export function dequantize(dst, dstOffset, src, srcOffset, count, scale, zeroPoint) @ "xs_helpers_dequantize";
export function copy(dst, dstOffset, src, srcOffset, count) @ "xs_helpers_copy";
export function copyRing(dst, dstOffset, ring, start, count) @ "xs_helpers_copy_ring";
export function argmax(scores, count, scale, zeroPoint) @ "xs_helpers_argmax";
export function topK(scores, k, scale, zeroPoint) @ "xs_helpers_top_k";
export function meanSquaredError(a, aOffset, b, bOffset, count, aScale, aZeroPoint, bScale, bZeroPoint) @ "xs_helpers_mean_squared_error";
export function image(dst, dstOffset, dstWidth, dstHeight, src, srcOffset, srcStride, x, y, width, height, table) @ "xs_helpers_image";
// Prepared helpers: the fixed arguments bound once (in an app's setup), the returned host
// function takes only what varies per call (helpers.c, "prepared helpers").
export function prepareQuantize(dst, dstOffset, src, count, scale, zeroPoint, srcStride) @ "xs_helpers_prepare_quantize";
export function prepareMapBytes(dst, dstOffset, src, count, table, srcStride) @ "xs_helpers_prepare_map_bytes";
export function prepareCopy(dst, src, count) @ "xs_helpers_prepare_copy";
export function prepareResult(result, scores, count, scale, zeroPoint, rankDequantized) @ "xs_helpers_prepare_result";
export function prepareMeanSquaredError(result, a, aOffset, b, bOffset, bStride, count, aScale, aZeroPoint, bScale, bZeroPoint) @ "xs_helpers_prepare_mean_squared_error";
export function prepareTopK(result, scores, k, outIndex, outValue, scale, zeroPoint, all) @ "xs_helpers_prepare_top_k";
