package dev.callflux.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The help a user reads: picocli wraps each description and footer element at 80 columns and starts the next
 * one on a new line, so an element that stops mid-sentence leaves a ragged line break in the help.
 */
class HelpTextTest {

    private static final int WIDTH = 80;

    @Test
    void everyParagraphOfEveryCommandsHelpIsWholeAndEveryExampleLineFits() {
        List<String> problems = new ArrayList<>();
        check(new CommandLine(new CallFluxCli(Map.of(), System.in, System.out, System.err, false)), problems);
        assertThat(problems).isEmpty();
    }

    private static void check(CommandLine command, List<String> problems) {
        CommandLine.Model.UsageMessageSpec usage = command.getCommandSpec().usageMessage();
        if (command.getParent() != null && !usage.description()[0].endsWith(".")) {
            // The parent's command list shows this first element alone, as the command's summary.
            problems.add(command.getCommandSpec().qualifiedName() + ": summary is not a sentence: " + usage.description()[0]);
        }
        List<String> elements = new ArrayList<>(List.of(usage.description()));
        elements.addAll(List.of(usage.footer()));
        for (String element : elements) {
            element = element.replace("%n", "");
            String name = command.getCommandSpec().qualifiedName();
            if (element.isBlank()) {
                continue;
            }
            if (element.startsWith(" ")) {
                // An example or a table row: shown as written, so it must not be wrapped.
                if (element.length() > WIDTH) {
                    problems.add(name + ": indented line longer than " + WIDTH + " columns: " + element);
                }
            } else if (!element.matches("(?s).*[.:)]")) {
                problems.add(name + ": paragraph that stops mid-sentence: " + element);
            }
        }
        command.getSubcommands().values().forEach(sub -> check(sub, problems));
    }

    @Test
    void helpOfEachCommandExitsZeroAndNoLineIsWiderThanTheTerminal() {
        for (String command : List.of("hangup", "update", "demo", "worker", "enqueue", "results", "completion")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int exit = CallFluxCli.run(new String[] {command, "--help"}, Map.of(), new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()), false);
            String help = out.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(command).isZero();
            assertThat(help).as(command).startsWith("Usage: callflux " + command);
            assertThat(help.lines().filter(l -> l.length() > WIDTH).toList()).as(command).isEmpty();
        }
    }
}
