/* board.c – mps2-an500 under QEMU: CMSDK UART0 (polled; QEMU back-pressures its
 * chardev so RX cannot overrun), CMSDK dual timer as the tick source (25 MHz under
 * -icount shift=7 = 3.2 ticks per instruction), MPU-protected "flash" with three upload
 * slots that behave like NOR flash, semihosting for files, the command line and the
 * exit status. */
#include <string.h>

#include "../../common/armv7m.h"
#include "../../common/nor_emu.h"
#include "board.h"
#include "board_flash.h"

#define UART0_BASE         0x40004000u
#define UART_DATA          REG32(UART0_BASE + 0x00u)
#define UART_STATE         REG32(UART0_BASE + 0x04u)
#define UART_CTRL          REG32(UART0_BASE + 0x08u)
#define UART_BAUDDIV       REG32(UART0_BASE + 0x10u)
#define UART_STATE_TX_FULL 0x1u
#define UART_STATE_RX_FULL 0x2u

/* Dual timer, Timer1 (the single-timer register layout leaves it stopped). */
#define DUALTIMER_BASE        0x40002000u
#define TIMER1_LOAD           REG32(DUALTIMER_BASE + 0x00u)
#define TIMER1_VALUE          REG32(DUALTIMER_BASE + 0x04u)
#define TIMER1_CONTROL        REG32(DUALTIMER_BASE + 0x08u)
#define TIMER1_INTCLR         REG32(DUALTIMER_BASE + 0x0Cu)
#define TIMER1_RIS            REG32(DUALTIMER_BASE + 0x10u)
#define TIMER_CTRL_ENABLE     0x80u
#define TIMER_CTRL_INT_ENABLE 0x20u
#define TIMER_CTRL_32BIT      0x02u
#define DUALTIMER_IRQ         10u

static volatile uint32_t timer_wraps;

void mps2_dualtimer_irq(void) {
  TIMER1_INTCLR = 1u;
  timer_wraps++;
}

/* ---- "flash": the code region and its upload slots (layout.ld) ---- */
extern uint8_t __slots_start[], __slots_size[], __slots_mpu_base[], __slots_mpu_size[];
extern uint8_t __slot_app_start[], __slot_app_size[], __slot_model_a_start[], __slot_model_a_size[];
extern uint8_t __slot_model_b_start[], __slot_model_b_size[];

#define MPU_RASR_XN           (1u << 28)
#define MPU_RASR_AP_PRIV_RW   (0x1u << 24)
#define MPU_RASR_AP_READ_ONLY (0x6u << 24)
#define MPU_RASR_CACHEABLE    (1u << 17) /* TEX=0 C=1 B=0: normal memory, write-through */
#define MPU_SLOTS_REGION      1u

/* RASR for the slot region with access `ap`; SIZE encodes 2^(SIZE+1) bytes. The region
 * is the power of two ending where the slots end (layout.ld); its eighths below the slots
 * are disabled subregions (SRD), where region 0 (read-only code) applies instead. */
static uint32_t slots_rasr(uint32_t ap) {
  uint32_t size = (uint32_t)(uintptr_t)__slots_mpu_size;
  uint32_t size_field = (uint32_t)__builtin_ctz(size) - 1u;
  uint32_t below = (uint32_t)(uintptr_t)__slots_start - (uint32_t)(uintptr_t)__slots_mpu_base;
  uint32_t srd = (1u << (below / (size / 8u))) - 1u;
  return MPU_RASR_XN | ap | MPU_RASR_CACHEABLE | (srd << 8) | (size_field << 1) | 1u;
}

static void flash_read_only(void) {
  /* Region 0: the 4 MB code region, read-only for all, cacheable (TEX=0 C=1 B=0). */
  MPU_RNR = 0u;
  MPU_RBAR = 0x00000000u;
  MPU_RASR = MPU_RASR_AP_READ_ONLY | MPU_RASR_CACHEABLE | (21u << 1) | 1u;
  /* Region 1 (wins over 0): the slots, read-only and never executable; only the
   * board_flash_* calls below open it, for the length of one operation. */
  MPU_RNR = MPU_SLOTS_REGION;
  MPU_RBAR = (uint32_t)(uintptr_t)__slots_mpu_base;
  MPU_RASR = slots_rasr(MPU_RASR_AP_READ_ONLY);
  MPU_CTRL = (1u << 2) | 1u; /* PRIVDEFENA: everything else keeps the default map */
  armv7m_dsb();
  armv7m_isb();
}

/* Interrupts stay off while the slots are writable, so nothing else can store there. */
static uint32_t slots_writable(void) {
  uint32_t primask = armv7m_irq_save();
  MPU_RNR = MPU_SLOTS_REGION;
  MPU_RASR = slots_rasr(MPU_RASR_AP_PRIV_RW);
  armv7m_dsb();
  armv7m_isb();
  return primask;
}

static void slots_read_only(uint32_t primask) {
  armv7m_dsb();
  MPU_RNR = MPU_SLOTS_REGION;
  MPU_RASR = slots_rasr(MPU_RASR_AP_READ_ONLY);
  armv7m_dsb();
  armv7m_isb();
  armv7m_irq_restore(primask);
}

static nor_emu_t slot_nor(board_flash_slot_t slot) {
  nor_emu_t nor = {NULL, 0};
  if (slot == BOARD_FLASH_SLOT_APP) {
    nor.mem = __slot_app_start;
    nor.bytes = (uint32_t)(uintptr_t)__slot_app_size;
  } else if (slot == BOARD_FLASH_SLOT_MODEL_A) {
    nor.mem = __slot_model_a_start;
    nor.bytes = (uint32_t)(uintptr_t)__slot_model_a_size;
  } else if (slot == BOARD_FLASH_SLOT_MODEL_B) {
    nor.mem = __slot_model_b_start;
    nor.bytes = (uint32_t)(uintptr_t)__slot_model_b_size;
  } else if (slot == BOARD_FLASH_SLOT_MODEL_AB) {
    /* layout.ld asserts that B follows A. */
    nor.mem = __slot_model_a_start;
    nor.bytes = (uint32_t)(uintptr_t)__slot_model_a_size + (uint32_t)(uintptr_t)__slot_model_b_size;
  }
  return nor;
}

/* QEMU starts with zeroed memory where a new chip's flash reads erased (0xFF). A slot
 * that is zero throughout was never written in this QEMU process, so it is erased once,
 * as the factory would have. The whole slot is checked, not only its start: slot B may
 * hold the middle of a model that spans A and B, zeros included, and the rest of a
 * programmed slot reads 0xFF. The scan stops at the first non-zero word, so only the
 * first boot of a QEMU process reads a whole slot. */
static void slots_power_on(void) {
  for (uint32_t slot = 0; slot < BOARD_FLASH_SLOT_COUNT; slot++) {
    nor_emu_t nor = slot_nor((board_flash_slot_t)slot);
    const uint32_t *word = (const uint32_t *)(const void *)nor.mem;
    int blank = 1;
    for (uint32_t i = 0; i < nor.bytes / 4u && blank; i++) blank = word[i] == 0u;
    if (blank) board_flash_erase((board_flash_slot_t)slot);
  }
}

int32_t board_flash_region(board_flash_slot_t slot, board_flash_region_t *out) {
  nor_emu_t nor = slot_nor(slot);
  out->base = nor.mem;
  out->bytes = nor.bytes;
  static const char *const where[BOARD_FLASH_SLOT_MODEL_AB + 1] = {
      "code region 0x340000 (QEMU, NOR emulation)",
      "code region 0x380000 (QEMU, NOR emulation)",
      "code region 0x3C0000 (QEMU, NOR emulation)",
      "code region 0x380000-0x3FFFFF (QEMU, NOR emulation)",
  };
  out->where = (unsigned)slot <= BOARD_FLASH_SLOT_MODEL_AB ? where[slot] : "none";
  return nor.mem ? BOARD_FLASH_OK : BOARD_FLASH_NO_SLOT;
}

int32_t board_flash_erase(board_flash_slot_t slot) {
  nor_emu_t nor = slot_nor(slot);
  if (!nor.mem) return BOARD_FLASH_NO_SLOT;
  uint32_t primask = slots_writable();
  int32_t status = nor_emu_erase(&nor);
  slots_read_only(primask);
  return status;
}

int32_t board_flash_program(board_flash_slot_t slot, uint32_t offset, const void *data,
                            uint32_t len) {
  nor_emu_t nor = slot_nor(slot);
  if (!nor.mem) return BOARD_FLASH_NO_SLOT;
  uint32_t primask = slots_writable();
  int32_t status = nor_emu_program(&nor, offset, data, len);
  slots_read_only(primask);
  return status;
}

void board_init(void) {
  /* PCLK 25 MHz / rate (target.cmake); QEMU does not pace the UART at it. */
  UART_BAUDDIV = (25000000u + XSINFER_UART_BAUD / 2u) / XSINFER_UART_BAUD;
  UART_CTRL = 0x3u; /* TX and RX enabled, no interrupts */

  TIMER1_CONTROL = 0u;
  TIMER1_LOAD = 0xFFFFFFFFu;
  TIMER1_INTCLR = 1u;
  TIMER1_CONTROL = TIMER_CTRL_ENABLE | TIMER_CTRL_INT_ENABLE | TIMER_CTRL_32BIT; /* free-running */
  NVIC_IPR_BYTE(DUALTIMER_IRQ) = 0u;
  NVIC_ISER(0) = 1u << DUALTIMER_IRQ;

  armv7m_enable_fault_reporting();
  flash_read_only();
  slots_power_on();
}

uint64_t board_ticks(void) {
  uint32_t primask = armv7m_irq_save();
  uint32_t wraps = timer_wraps;
  uint32_t down = TIMER1_VALUE;
  if (TIMER1_RIS & 1u) { /* wrapped, interrupt not yet taken: count it here */
    down = TIMER1_VALUE;
    wraps++;
  }
  armv7m_irq_restore(primask);
  return ((uint64_t)wraps << 32) | (uint64_t)(0xFFFFFFFFu - down);
}

const board_tick_unit_t *board_tick_unit(void) {
  /* 25 MHz timer, one instruction = 128/40 ns of virtual time at shift=7. */
  static const board_tick_unit_t unit = {"instr", 40u, 128u, 0u};
  return &unit;
}

uint32_t board_ticks_per_second(void) {
  return 25000000u;
}

/* This file also serves mps2-an386 (its target.cmake): the build names the target. */
const char *board_name(void) {
  return XSINFER_TARGET_NAME;
}

volatile board_io_t board_io;

void board_uart_write(const void *data, size_t len) {
  const uint8_t *bytes = data;
  board_io.uart_bytes += (uint32_t)len;
  for (size_t i = 0; i < len; i++) {
    while (UART_STATE & UART_STATE_TX_FULL) {}
    UART_DATA = bytes[i];
  }
}

size_t board_uart_read(void *data, size_t cap) {
  uint8_t *bytes = data;
  size_t n = 0;
  while (n < cap && (UART_STATE & UART_STATE_RX_FULL)) bytes[n++] = (uint8_t)UART_DATA;
  return n;
}

void board_uart_flush(void) {
  while (UART_STATE & UART_STATE_TX_FULL) {}
}

/* ---- semihosting ---- */
enum {
  SYS_OPEN = 0x01,
  SYS_CLOSE = 0x02,
  SYS_READ = 0x06,
  SYS_FLEN = 0x0C,
  SYS_GET_CMDLINE = 0x15,
  SYS_EXIT_EXTENDED = 0x20,
  ADP_STOPPED_APPLICATION_EXIT = 0x20026,
};

static int32_t semihost(uint32_t op, const void *param) {
  register uint32_t r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = param;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return (int32_t)r0;
}

static int32_t host_open(const char *path) {
  uint32_t args[3] = {(uint32_t)(uintptr_t)path, 1u /* "rb" */, (uint32_t)strlen(path)};
  return semihost(SYS_OPEN, args);
}

static void host_close(int32_t handle) {
  uint32_t args[1] = {(uint32_t)handle};
  semihost(SYS_CLOSE, args);
}

int32_t board_host_file_size(const char *path) {
  int32_t handle = host_open(path);
  if (handle < 0) return -1;
  uint32_t args[1] = {(uint32_t)handle};
  int32_t size = semihost(SYS_FLEN, args);
  host_close(handle);
  return size;
}

int32_t board_host_file_read(const char *path, void *buf, uint32_t cap) {
  int32_t handle = host_open(path);
  if (handle < 0) return -1;
  uint32_t args[3] = {(uint32_t)handle, (uint32_t)(uintptr_t)buf, cap};
  int32_t not_read = semihost(SYS_READ, args);
  host_close(handle);
  return not_read < 0 ? -1 : (int32_t)cap - not_read;
}

const char *board_cmdline(void) {
  static char line[512];
  static int fetched;
  if (!fetched) {
    fetched = 1;
    uint32_t args[2] = {(uint32_t)(uintptr_t)line, sizeof line};
    if (semihost(SYS_GET_CMDLINE, args) != 0) line[0] = 0;
  }
  /* QEMU puts the program name first (the first arg= of -semihosting-config). */
  const char *rest = strchr(line, ' ');
  return rest ? rest + 1 : "";
}

void board_exit(int status) {
  board_uart_flush();
  uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status};
  semihost(SYS_EXIT_EXTENDED, block);
  for (;;) {}
}

void board_reset(void) {
  board_uart_flush();
  REG32(0xE000ED0Cu) = 0x05FA0004u; /* AIRCR: VECTKEY | SYSRESETREQ */
  armv7m_dsb();
  for (;;) {}
}

/* board-check: QEMU models no caches; the MPU is the one flash_read_only set up. */
void board_core_state(board_core_state_t *out) {
  out->icache = -1;
  out->dcache = -1;
  out->mpu = (int8_t)(MPU_CTRL & 1u);
  out->mpu_regions = (uint8_t)(MPU_TYPE >> 8);
}
