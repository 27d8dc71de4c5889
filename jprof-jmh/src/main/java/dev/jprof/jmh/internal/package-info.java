/**
 * Internal: the JMH profiler's options, folders, per-fork artifacts and statistics. Not API.
 */
package dev.jprof.jmh.internal;
