/*
 * The benchmarks' timing loop. Operations run in batches that grow until
 * one batch takes a millisecond, so reading the clock costs nothing
 * measurable for fast operations and slow ones still stop on time.
 */
#include "qemu/osdep.h"
#include "bench-common.h"

#define BATCH_TARGET 0.001 /* seconds */
#define BATCH_MAX (1u << 20)

double bench_seconds(int argc, char **argv, const char *extra)
{
    char *end = NULL;
    double seconds = 1.0;

    if (argc > 1) {
        seconds = g_ascii_strtod(argv[1], &end);
    }
    if (argc > 1 && (*end || end == argv[1] || !(seconds > 0))) {
        fprintf(stderr, "usage: %s [seconds-per-case]%s\n", argv[0],
                extra ? extra : "");
        exit(1);
    }
    return seconds;
}

void bench_run(const BenchCase *c, double seconds)
{
    g_autoptr(GTimer) timer = g_timer_new();
    uint64_t ops = 0, batch = 1;
    double elapsed = 0, before;

    do {
        before = elapsed;
        for (uint64_t n = 0; n < batch; n++) {
            c->op(c->opaque, ops++);
        }
        elapsed = g_timer_elapsed(timer, NULL);
        if (elapsed - before < BATCH_TARGET && batch < BATCH_MAX) {
            batch *= 2;
        }
    } while (elapsed < seconds);
    printf("%-48s %12.0f ops/s %10.1f ns/op", c->name, ops / elapsed,
           elapsed * 1e9 / ops);
    if (c->bytes) {
        printf(" %10.1f MiB/s", (double)ops * c->bytes / elapsed / MiB);
    }
    if (c->items) {
        printf(" %12.0f %s/s", (double)ops * c->items / elapsed, c->item);
    }
    printf("\n");
    fflush(stdout);
}
