package dev.jprof.examples;

/** A remote user service, simulated: each call waits as a network round trip would. */
public final class UserBackend {

    private final long latencyMillis;

    public UserBackend(long latencyMillis) {
        this.latencyMillis = latencyMillis;
    }

    /** Fetches the user {@code id}, waiting one round trip. */
    public String fetchUser(String id) {
        try {
            Thread.sleep(latencyMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching user " + id, e);
        }
        return "{\"id\":" + id + "}";
    }
}
