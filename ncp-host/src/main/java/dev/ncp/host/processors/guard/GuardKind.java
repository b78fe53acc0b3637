package dev.ncp.host.processors.guard;

import java.util.Locale;

/** What the guard did; the {@code kind} label of {@code ncp_guard_interventions_total} and the dashboard's events. */
public enum GuardKind {
    /** A tool call's arguments were not JSON (a trailing comma, a fence, a missing brace...) and were repaired. */
    ARGS_REPAIRED,
    /** A scalar argument was given the type its schema says (a string "300" for an integer became 300). */
    ARGS_COERCED,
    /** A tool call's arguments could not be read; the tool gets them as {@code {"_raw_arguments": "..."}}. */
    ARGS_UNREPAIRABLE,
    /** A call to an undeclared name became the one declared tool it meant ({@code bash} → {@code Bash}). */
    NAME_FIXED,
    /** A tool call written as text (Hermes, Nemotron, Llama, Mistral or DSML markup) became a tool_use block. */
    TEXT_CALL,
    /** The same call with the same result three turns running: the upstream request got a note for the model. */
    LOOP_NOTE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
