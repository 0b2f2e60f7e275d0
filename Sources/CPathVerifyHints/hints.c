#include "CPathVerifyHints.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PV_HUGE_PAGE ((size_t)2 << 20)

void *pv_table_allocate(size_t bytes) {
    if (bytes < PV_HUGE_PAGE) {
        size_t rounded = (bytes + 63) / 64 * 64;
        void *table = aligned_alloc(64, rounded ? rounded : 64);
        if (table) memset(table, 0, rounded);
        return table;
    }
    /* Map one huge page more than needed and trim to a 2 MiB boundary: the kernel backs only
       aligned 2 MiB ranges with huge pages. Anonymous pages come zeroed, and only when touched. */
    size_t length = (bytes + PV_HUGE_PAGE - 1) / PV_HUGE_PAGE * PV_HUGE_PAGE;
    uint8_t *mapped = mmap(NULL, length + PV_HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapped == MAP_FAILED) return NULL;
    uint8_t *aligned = (uint8_t *)(((uintptr_t)mapped + PV_HUGE_PAGE - 1) & ~(uintptr_t)(PV_HUGE_PAGE - 1));
    if (aligned > mapped) munmap(mapped, (size_t)(aligned - mapped));
    size_t tail = (size_t)(mapped + length + PV_HUGE_PAGE - (aligned + length));
    if (tail > 0) munmap(aligned + length, tail);
    (void)madvise(aligned, length, MADV_HUGEPAGE);  /* a hint: without it the table still works */
    return aligned;
}

void pv_table_deallocate(void *table, size_t bytes) {
    if (!table) return;
    if (bytes < PV_HUGE_PAGE) {
        free(table);
        return;
    }
    munmap(table, (bytes + PV_HUGE_PAGE - 1) / PV_HUGE_PAGE * PV_HUGE_PAGE);
}
