/* stack_watermark.h – C stack high-water mark: paint the unused stack with a pattern at
 * boot, later find the deepest byte that was overwritten. */
#ifndef XSINFER_STACK_WATERMARK_H
#define XSINFER_STACK_WATERMARK_H

#include <stdint.h>

/* Fill the stack below the caller's frame (minus a margin) with the pattern. */
void stack_paint(void);
/* Deepest use since stack_paint, in bytes from the stack top; 0 where not measurable
 * (the host target). */
uint32_t stack_peak_bytes(void);

#endif
