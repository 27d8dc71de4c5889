/**
 * Internal: the call tree behind flame graphs, and the names and writing of the artifact files of a capture. Not API.
 */
package dev.jprof.format.internal;
