/*
 * qtest protocol round trips through the real emulator (libqtest, -M
 * virt): 4-byte reads and writes of guest RAM and 64 KiB base64 block
 * transfers.
 * Usage: bench-qtest [seconds-per-case] [emulator]
 * The emulator defaults to $QTEST_QEMU_BINARY (an aarch64 binary).
 */
#include "qemu/osdep.h"
#include "libqtest.h"
#include "bench-common.h"

#define RAM_BASE 0x40000000ULL /* virt */
#define BLOCK_SIZE (64 * KiB)
#define RAM_SPAN (16 * MiB) /* the cases cycle through this much RAM */

typedef struct Qtest {
    QTestState *qts;
    uint8_t block[BLOCK_SIZE];
} Qtest;

static uint64_t word_addr(uint64_t i)
{
    return RAM_BASE + (i * 4) % RAM_SPAN;
}

static uint64_t block_addr(uint64_t i)
{
    return RAM_BASE + (i * BLOCK_SIZE) % RAM_SPAN;
}

static void op_readl(void *opaque, uint64_t i)
{
    Qtest *t = opaque;

    qtest_readl(t->qts, word_addr(i));
}

static void op_writel(void *opaque, uint64_t i)
{
    Qtest *t = opaque;

    qtest_writel(t->qts, word_addr(i), (uint32_t)i);
}

static void op_b64write(void *opaque, uint64_t i)
{
    Qtest *t = opaque;

    qtest_bufwrite(t->qts, block_addr(i), t->block, BLOCK_SIZE);
}

static void op_b64read(void *opaque, uint64_t i)
{
    Qtest *t = opaque;

    qtest_bufread(t->qts, block_addr(i), t->block, BLOCK_SIZE);
}

int main(int argc, char **argv)
{
    double seconds = bench_seconds(argc, argv, " [emulator]");
    g_autofree Qtest *t = g_new0(Qtest, 1);

    if (argc > 2) {
        g_setenv("QTEST_QEMU_BINARY", argv[2], true);
    }
    if (!g_getenv("QTEST_QEMU_BINARY")) {
        fprintf(stderr,
                "%s: name the emulator (argument or "
                "QTEST_QEMU_BINARY)\n",
                argv[0]);
        return 1;
    }
    for (size_t k = 0; k < BLOCK_SIZE; k++) {
        t->block[k] = k * 7;
    }
    t->qts = qtest_init("-M virt");
    /* Reads and writes hit the same words: the writes check the reads. */
    qtest_writel(t->qts, word_addr(3), 0x12345678);
    g_assert_cmphex(qtest_readl(t->qts, word_addr(3)), ==, 0x12345678);

    bench_run(&(BenchCase){"readl (RAM)", op_readl, t}, seconds);
    bench_run(&(BenchCase){"writel (RAM)", op_writel, t}, seconds);
    bench_run(
        &(BenchCase){"b64write 64 KiB", op_b64write, t, .bytes = BLOCK_SIZE},
        seconds);
    bench_run(
        &(BenchCase){"b64read 64 KiB", op_b64read, t, .bytes = BLOCK_SIZE},
        seconds);
    qtest_quit(t->qts);
    return 0;
}
