package org.pfmeter.accounting.billing;

import java.util.Collection;
import java.util.stream.Collectors;

/** A report or export named a label (or host, or customer) the database has never seen. */
public final class UnknownLabelException extends IllegalArgumentException {

    UnknownLabelException(String what, String name, Collection<String> known) {
        super(what + " '" + name + "' is not in the accounting database" + (known.isEmpty() ? " (it holds none yet)"
                : "; known " + what + "s: " + known.stream().limit(50).collect(Collectors.joining(", "))
                        + (known.size() > 50 ? ", … (" + known.size() + " in all)" : "")));
    }
}
