package dev.ncp.host.processors.guard;

/**
 * One thing the guard changed: its kind, the tool concerned (the client's name), and what was done in a few words
 * (never argument values or text: this goes to the dashboard, which shows no content).
 */
public record GuardIntervention(GuardKind kind, String tool, String detail) {
}
