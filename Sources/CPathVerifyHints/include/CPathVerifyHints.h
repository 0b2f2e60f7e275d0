#ifndef CPATHVERIFY_HINTS_H
#define CPATHVERIFY_HINTS_H

/* CPU hints that Swift has no spelling for. No I/O, no state: the pure core may use them. */

/* Starts loading the cache line at `address` for a write soon after, without waiting for it
   (the flow table uses it to overlap the misses of consecutive packets). */
static inline void pv_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
