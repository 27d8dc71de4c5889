/**
 * Internal: the JVM's one recording, cut into per-test windows, and the readers of its JFR files. Not
 * API; may change in any release.
 */
package dev.jprof.capture.internal;
