/**
 * Internal: the one Jupiter extension behind every annotation, the whole-suite listener, per-test
 * folders and summaries, and the run report. Not API; may change in any release.
 */
package dev.jprof.junit.internal;
