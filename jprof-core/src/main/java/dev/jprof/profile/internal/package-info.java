/** What the profile model keeps for jprof's own writers without publishing it: not an API. */
package dev.jprof.profile.internal;
