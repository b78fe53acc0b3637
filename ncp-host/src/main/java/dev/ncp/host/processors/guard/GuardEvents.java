package dev.ncp.host.processors.guard;

/**
 * Where the guard reports what it changed in one request: the request's trace (logs, dashboard timeline, the
 * {@code ncp_guard_interventions_total} counter). Called from the answer's thread, one event at a time.
 */
@FunctionalInterface
public interface GuardEvents {

    /** Reports nothing (tests, embedders without observability). */
    GuardEvents NONE = intervention -> { };

    void intervened(GuardIntervention intervention);
}
