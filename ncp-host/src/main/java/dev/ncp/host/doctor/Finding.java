package dev.ncp.host.doctor;

/** One line of {@code ncp doctor}: what was found and, when it is a problem, how to fix it. */
public record Finding(boolean ok, String what, String fix) {

    public static Finding ok(String what) {
        return new Finding(true, what, "");
    }

    public static Finding problem(String what, String fix) {
        return new Finding(false, what, fix);
    }

    /** {@code ✓ what} or {@code ✗ what — fix: how}. */
    public String line() {
        return ok ? "✓ " + what : "✗ " + what + " — fix: " + fix;
    }
}
