/**
 * Reading and writing profiles: pprof ({@code *.pb.gz}, as {@code go tool pprof} reads them),
 * self-contained HTML flame graphs, and Chrome trace-event timelines.
 */
package dev.jprof.format;
