package dev.ncp.host.limits;

/** Hears each request a limit refused with 429, by scope: {@code global}, {@code principal} or {@code upstream}. */
@FunctionalInterface
public interface RateLimitRejections {

    /** Hears nothing. */
    RateLimitRejections NONE = scope -> {
    };

    void rejected(String scope);
}
