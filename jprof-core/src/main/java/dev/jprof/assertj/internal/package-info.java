/**
 * Internal: the failure messages jprof's allocation assertions and its JUnit extension share. Not API.
 */
package dev.jprof.assertj.internal;
