/** How jprof-core receives the regions, tasks and logs of {@link dev.jprof.api}; not for application code. */
package dev.jprof.api.spi;
