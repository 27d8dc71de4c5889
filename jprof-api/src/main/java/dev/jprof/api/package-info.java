/**
 * Regions, tasks and logs that code marks for jprof's traces and profiles; no dependencies, safe in main code.
 */
package dev.jprof.api;
