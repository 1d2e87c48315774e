package dev.callflux.reactor.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that used a client ends when its {@code main} returns, within moments: whether it closed the
 * client or forgot to (a command-line tool that forgets {@code close()} must still exit, so the client's
 * threads must not keep the JVM alive). Each case runs {@link ClientUserMain} in a JVM of its own.
 */
class JvmExitTest {

    /** Time from main's return to the JVM's exit; JVM teardown itself takes a few tens of milliseconds. */
    private static final long PROMPT_EXIT_MILLIS = 3_000;
    private static final Pattern RETURNING = Pattern.compile("returning (\\d+)");

    @TempDir
    Path dir;

    @Test
    void aJvmThatClosedItsClientExitsPromptly() throws Exception {
        String output = runToExit("close");
        assertThat(output).contains("client closed");
    }

    @Test
    void aJvmThatNeverClosedItsClientStillExitsPromptly() throws Exception {
        String output = runToExit("forget");
        assertThat(output).contains("client left open");
        // The client's threads were still running when main returned: they are daemons, so the JVM need not wait.
        assertThat(output).containsPattern("client event loop threads: \\[callflux-\\S+ \\(daemon\\)");
        assertThat(output).doesNotContain("(not daemon)");
    }

    /** Runs the program; asserts it did its work and exited with 0 soon after main returned; its output. */
    private String runToExit(String mode) throws IOException, InterruptedException {
        Path out = dir.resolve(mode + ".out");
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"),
                ClientUserMain.class.getName(), mode)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        boolean exited = child.waitFor(20, TimeUnit.SECONDS);
        long exitedAt = System.currentTimeMillis();
        if (!exited) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(exited).as("the JVM exited within 20 s; its output:%n%s", output).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).as(output).contains("hung up 201 of 201, simulator applied 201");

        Matcher returning = RETURNING.matcher(output);
        assertThat(returning.find()).as(output).isTrue();
        long afterReturn = exitedAt - Long.parseLong(returning.group(1));
        assertThat(afterReturn).as("milliseconds from main's return to the JVM's exit; output:%n%s", output)
                .isLessThan(PROMPT_EXIT_MILLIS);
        return output;
    }
}
