/**
 * AssertJ assertions on profiles, timelines and allocation reports; start from
 * {@link dev.jprof.assertj.JprofAssertions#assertThat}.
 */
package dev.jprof.assertj;
