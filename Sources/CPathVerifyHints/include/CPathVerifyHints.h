#ifndef CPATHVERIFY_HINTS_H
#define CPATHVERIFY_HINTS_H

#include <stddef.h>

/* CPU and memory hints that Swift has no spelling for. No I/O, no state: the pure core may
   use them. */

/* Starts loading the cache line at `address` for a write soon after, without waiting for it
   (the flow table uses it to overlap the misses of consecutive packets). */
static inline void pv_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

/* Zeroed memory for a table that is read at random, aligned to 64 bytes; NULL if there is
   none. From 2 MiB on it is mapped on its own, aligned to 2 MiB and advised for transparent
   huge pages: random reads of a table larger than the TLB's reach then cost a cache miss, not
   a page walk too (which under a hypervisor takes several more). Free with
   pv_table_deallocate and the same size. */
void *pv_table_allocate(size_t bytes);
void pv_table_deallocate(void *table, size_t bytes);

#endif
