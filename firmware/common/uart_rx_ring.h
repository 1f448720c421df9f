/* uart_rx_ring.h – the receive ring of the boards whose UART interrupt only stores bytes
 * (the F413, the F769): the interrupt puts, board_uart_read takes. One producer (the
 * interrupt) and one consumer (thread code): head moves only in put, tail only in take,
 * so neither needs a lock. A full ring drops the byte and counts an overrun. */
#ifndef XSINFER_UART_RX_RING_H
#define XSINFER_UART_RX_RING_H

#include <stddef.h>
#include <stdint.h>

#define UART_RX_RING_BYTES 1024u

typedef struct uart_rx_ring {
  volatile uint8_t bytes[UART_RX_RING_BYTES];
  volatile uint32_t head, tail, overruns;
} uart_rx_ring_t;

static inline void uart_rx_ring_put(uart_rx_ring_t *r, uint8_t byte) {
  uint32_t next = (r->head + 1u) % UART_RX_RING_BYTES;
  if (next != r->tail) {
    r->bytes[r->head] = byte;
    r->head = next;
  } else {
    r->overruns++;
  }
}

/* Up to cap bytes into out; how many. */
static inline size_t uart_rx_ring_take(uart_rx_ring_t *r, uint8_t *out, size_t cap) {
  size_t n = 0;
  while (n < cap && r->tail != r->head) {
    out[n++] = r->bytes[r->tail];
    r->tail = (r->tail + 1u) % UART_RX_RING_BYTES;
  }
  return n;
}

#endif
