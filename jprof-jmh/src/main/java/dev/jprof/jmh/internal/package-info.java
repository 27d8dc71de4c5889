/**
 * Internal: the statistics the JMH gate and {@code jprof:compare} share (Mann-Whitney U). Not API.
 */
package dev.jprof.jmh.internal;
