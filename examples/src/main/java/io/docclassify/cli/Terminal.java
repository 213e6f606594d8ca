package io.docclassify.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Tells whether standard error is a person's terminal, where a progress bar belongs. */
final class Terminal {

    private Terminal() {}

    static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // Since JDK 22 System.console() exists even when redirected; Console.isTerminal() tells, but
        // we compile for 21, so ask for it reflectively.
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
