/*
 * Shared by the benchmarks: the command line and the timing loop that
 * prints one line per case.
 */
#ifndef TESTS_BENCH_COMMON_H
#define TESTS_BENCH_COMMON_H

#include <stdint.h>

/* One operation of a case; i counts from 0 so the work is deterministic. */
typedef void BenchOp(void *opaque, uint64_t i);

typedef struct BenchCase {
    const char *name;
    BenchOp *op;
    void *opaque;
    uint64_t bytes; /* per operation, adds MiB/s (0: none) */
    uint64_t items; /* per operation, adds ITEM/s (0: none) */
    const char *item;
} BenchCase;

/*
 * Seconds per case from argv[1] (default 1). Prints the usage line
 * ("usage: PROG [seconds-per-case]" followed by extra) and exits 1 when
 * the argument is not a positive number.
 */
double bench_seconds(int argc, char **argv, const char *extra);

/*
 * Runs c->op for at least seconds and prints
 *   NAME  OPS ops/s  NS ns/op  [MiB/s]  [ITEMS ITEM/s]
 */
void bench_run(const BenchCase *c, double seconds);

#endif
