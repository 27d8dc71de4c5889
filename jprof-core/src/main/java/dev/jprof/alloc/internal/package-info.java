/**
 * Internal: per-thread allocation counters and the attribution of allocations to sites. Not API;
 * may change in any release.
 */
package dev.jprof.alloc.internal;
