/**
 * Internal: configuration keys, JSON, atomic file writes and units shared by jprof's modules. Not
 * API; may change in any release.
 */
package dev.jprof.internal;
