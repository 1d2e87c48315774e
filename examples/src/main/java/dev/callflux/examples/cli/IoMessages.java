package dev.callflux.examples.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Why a file could not be read or written, in words for a CLI user: "no such file", "permission denied",
 * "is a directory"... never a Java class name or a raw Java exception text.
 */
final class IoMessages {

    private IoMessages() {
    }

    /** The reason of {@code e}, e.g. {@code "no such file"}; falls back to a generic "input/output error". */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileSystemException) {
            String reason = ((FileSystemException) e).getReason();
            if (reason != null && !reason.isBlank()) {
                return lower(reason.strip());
            }
            return "input/output error";
        }
        if (e instanceof FileNotFoundException) {
            // "path (Reason)": keep only the operating system's reason
            String m = e.getMessage();
            int open = m == null ? -1 : m.lastIndexOf(" (");
            if (open >= 0 && m.endsWith(")")) {
                String reason = lower(m.substring(open + 2, m.length() - 1));
                return reason.equals("no such file or directory") ? "no such file" : reason;
            }
            return "cannot be opened";
        }
        String m = e.getMessage();
        // Operating-system messages ("No space left on device") are fine; anything that looks like a Java
        // exception's text is not shown.
        if (m == null || m.isBlank() || m.contains("Exception") || m.contains("java.")) {
            return "input/output error";
        }
        return lower(m.strip());
    }

    /**
     * Why {@code path} cannot be created: {@code "no such directory"} when its directory is missing,
     * {@code "is a directory"} when it is one, otherwise {@code null} (try, and report what fails).
     */
    static String cannotCreate(Path path) {
        if (Files.isDirectory(path)) {
            return "is a directory";
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            return Files.exists(parent) ? "not a directory: " + parent : "no such directory";
        }
        return null;
    }

    private static String lower(String s) {
        int end = s.indexOf(' ') < 0 ? s.length() : s.indexOf(' ');
        for (int i = 1; i < end; i++) {
            if (!Character.isLowerCase(s.charAt(i))) {
                return s; // a first word such as "I/O" keeps its case
            }
        }
        if (s.isEmpty()) {
            return s;
        }
        return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }

    /**
     * Refuses, in the user's words, a file that cannot be created or opened for writing:
     * "cannot create the journal /x/j.log: no such directory", "cannot open the report r: is a directory".
     *
     * @param what the file's role, e.g. {@code "the journal"}
     */
    static void requireWritable(Path path, String what) {
        String cannot = cannotCreate(path);
        if (cannot != null) {
            throw new SidInput.InputException((Files.isDirectory(path) ? "cannot open " : "cannot create ") + what + " "
                    + path + ": " + cannot);
        }
    }
}
