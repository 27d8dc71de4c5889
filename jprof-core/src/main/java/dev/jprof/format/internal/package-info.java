/**
 * Internal: the call tree behind flame graphs. Not API.
 */
package dev.jprof.format.internal;
