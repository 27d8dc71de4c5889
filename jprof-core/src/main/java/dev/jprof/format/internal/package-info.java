/**
 * Internal: the call tree behind flame graphs, the names and writing of the artifact files of a capture, and the run
 * report ({@code index.html}, {@code summary.json}) built from the summaries of tests and benchmarks. Not API.
 */
package dev.jprof.format.internal;
