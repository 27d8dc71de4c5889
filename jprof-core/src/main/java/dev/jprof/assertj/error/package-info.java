/**
 * The failure messages of jprof's AssertJ assertions, as AssertJ's own error message factories.
 */
package dev.jprof.assertj.error;
