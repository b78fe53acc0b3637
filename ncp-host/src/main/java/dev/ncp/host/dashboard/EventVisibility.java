package dev.ncp.host.dashboard;

import dev.ncp.api.auth.Principal;
import dev.ncp.host.observe.BusMessage;
import java.util.function.Predicate;

/**
 * Which bus events a principal may watch: an operator every one; anyone else only those of their own requests
 * (matched on the principal id each request's trace records). Events of no one request (a breaker's change) are
 * the operators'.
 */
final class EventVisibility {

    private EventVisibility() {
    }

    static Predicate<BusMessage> of(Principal who) {
        if (who.operator()) {
            return message -> true;
        }
        String id = who.id();
        return message -> id.equals(message.principal());
    }
}
