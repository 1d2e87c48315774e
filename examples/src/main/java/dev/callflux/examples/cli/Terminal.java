package dev.callflux.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a standard stream is a terminal, which Java 17 cannot say for one stream alone. */
final class Terminal {

    private Terminal() {
    }

    /**
     * Whether file descriptor {@code fd} (0 standard input, 2 standard error) is a terminal: on Linux from
     * where {@code /proc/self/fd/N} points; elsewhere from {@link System#console()}, which needs both standard
     * input and output to be terminals.
     */
    static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        if (Files.isSymbolicLink(link)) {
            try {
                String target = Files.readSymbolicLink(link).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                return System.console() != null;
            }
        }
        return System.console() != null;
    }
}
