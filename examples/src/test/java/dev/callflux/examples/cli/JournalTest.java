package dev.callflux.examples.cli;

import static dev.callflux.examples.cli.TestResults.failed;
import static dev.callflux.examples.cli.TestResults.sid;
import static dev.callflux.examples.cli.TestResults.succeeded;
import static dev.callflux.examples.cli.TestResults.unknown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.callflux.reactor.bulk.BulkResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    private static final Journal.Identity TWILIO = new Journal.Identity("AC11111111111111111111111111111111",
            "https://api.twilio.com", "Status=completed");
    private static final Journal.Identity LOCAL = new Journal.Identity("AC22222222222222222222222222222222",
            "http://127.0.0.1:4010", "Status=completed");

    @TempDir
    Path dir;

    @Test
    void aNewJournalStartsWithWhatItBelongsTo() throws IOException {
        Path j = dir.resolve("j.log");
        try (Journal journal = Journal.open(j, TWILIO)) {
            journal.record(succeeded(sid(1)));
        }
        assertThat(Files.readAllLines(j)).containsExactly(
                "# callflux journal v2 account=AC11111111111111111111111111111111 endpoint=https://api.twilio.com"
                        + " operation=Status=completed",
                sid(1) + ",SUCCEEDED");
    }

    @Test
    void theIdentityParsesBackWithSpacesPercentsAndNonAsciiAndTheEndpointIsOnlySchemeHostAndPort() throws IOException {
        Journal.Identity odd = new Journal.Identity("AC11111111111111111111111111111111",
                "HTTPS://user:secret@API.Twilio.com:443/some/path?q=1", "Url=https%3A%2F%2Fx.example%2Fa b&Twiml=<Say>é</Say>");
        assertThat(odd.endpoint()).isEqualTo("https://api.twilio.com");
        assertThat(odd.header()).doesNotContain("secret").doesNotContain("a b").contains("%25").contains("%20");
        Path j = dir.resolve("j.log");
        Journal.open(j, odd).close();
        try (Journal again = Journal.open(j, odd)) {
            assertThat(again.previouslyDone()).isZero();
        }
        assertThat(new Journal.Identity("AC1", "http://127.0.0.1:4010/", "Status=completed").endpoint())
                .isEqualTo("http://127.0.0.1:4010");
    }

    @Test
    void aRerunSkipsWhatSucceededOrHadAlreadyEndedAndOnlyThat() throws IOException {
        Path j = dir.resolve("j.log");
        List<BulkResult<Long>> ended = TestResults.alreadyEnded(sid(3));
        try (Journal journal = Journal.open(j, TWILIO)) {
            journal.record(succeeded(sid(1)));
            journal.record(failed(sid(2)));
            journal.record(ended.get(0));
            journal.record(unknown(sid(4)));
            journal.record(failed("CA-not-a-sid")); // not a call: nothing to resume, not recorded
            assertThat(journal.done(sid(1))).isTrue();
            assertThat(journal.done(sid(3))).isTrue();
            assertThat(journal.previouslyDone()).isZero();
        }
        assertThat(Files.readString(j)).doesNotContain("CA-not-a-sid").contains(sid(3) + ",ALREADY_ENDED\n");
        try (Journal journal = Journal.open(j, TWILIO)) {
            assertThat(journal.previouslyDone()).isEqualTo(2);
            assertThat(journal.done(sid(1))).isTrue();
            assertThat(journal.done(sid(2))).isFalse();
            assertThat(journal.done(sid(3))).isTrue();
            assertThat(journal.done(sid(4))).isFalse();
            assertThat(journal.done(sid(5))).isFalse();
            assertThat(journal.done("nope")).isFalse();
            assertThat(journal.doneOutcome(sid(1))).isEqualTo(BulkResult.Outcome.SUCCEEDED);
            assertThat(journal.doneOutcome(sid(3))).isEqualTo(BulkResult.Outcome.ALREADY_ENDED);
            assertThat(journal.doneOutcome(sid(2))).isNull();
            assertThat(journal.malformedLines()).isZero();
        }
    }

    @Test
    void theLastRecordedOutcomeOfASidDecides() throws IOException {
        Path j = dir.resolve("j.log");
        Files.writeString(j, TWILIO.header() + "\n" + sid(1) + ",SUCCEEDED\n" + sid(1) + ",UNKNOWN\n"
                + sid(2) + ",FAILED\n" + sid(2) + ",ALREADY_ENDED\n");
        Journal.Contents c = Journal.read(j, TWILIO);
        assertThat(c.done(sid(1))).isFalse();
        assertThat(c.done(sid(2))).isTrue();
        assertThat(c.doneOutcome(sid(2))).isEqualTo(BulkResult.Outcome.ALREADY_ENDED);
        assertThat(c.doneCount()).isEqualTo(1);
    }

    @Test
    void aJournalOfAnotherAccountOrEndpointIsRefusedNamingBothAndIsLeftUntouched() throws IOException {
        Path j = dir.resolve("j.log");
        try (Journal journal = Journal.open(j, TWILIO)) {
            journal.record(succeeded(sid(1)));
        }
        byte[] before = Files.readAllBytes(j);
        assertThatThrownBy(() -> Journal.open(j, LOCAL))
                .isInstanceOf(Journal.MismatchException.class)
                .isInstanceOf(SidInput.InputException.class)
                .hasMessage("the journal " + j + " belongs to account AC11111111111111111111111111111111 at"
                        + " https://api.twilio.com (Status=completed), not account AC22222222222222222222222222222222 at"
                        + " http://127.0.0.1:4010 (Status=completed): use another --journal file");
        Journal.Identity redirect = new Journal.Identity(TWILIO.account(), TWILIO.endpoint(), "Url=https%3A%2F%2Fx&Method=POST");
        assertThatThrownBy(() -> Journal.open(j, redirect)).isInstanceOf(Journal.MismatchException.class)
                .hasMessageContaining("(Status=completed), not account " + TWILIO.account()
                        + " at https://api.twilio.com (Url=https%3A%2F%2Fx&Method=POST)");
        assertThatThrownBy(() -> Journal.read(j, LOCAL)).isInstanceOf(Journal.MismatchException.class);
        assertThat(Files.readAllBytes(j)).isEqualTo(before);
    }

    @Test
    void anOlderJournalWithoutAHeaderIsRefusedAndLeftUntouched() throws IOException {
        Path j = dir.resolve("old.log");
        Files.writeString(j, sid(1) + ",SUCCEEDED\n" + sid(2) + ",FAILED\n");
        byte[] before = Files.readAllBytes(j);
        assertThatThrownBy(() -> Journal.open(j, TWILIO))
                .isInstanceOf(Journal.MismatchException.class)
                .hasMessageStartingWith("the journal " + j + " has no callflux journal header")
                .hasMessageContaining("belongs to account AC11111111111111111111111111111111 at https://api.twilio.com"
                        + " (Status=completed): use another --journal file")
                .hasMessageContaining(TWILIO.header());
        assertThat(Files.readAllBytes(j)).isEqualTo(before);
        Files.writeString(j, "# callflux journal v3 account=x\n");
        assertThatThrownBy(() -> Journal.open(j, TWILIO)).isInstanceOf(Journal.MismatchException.class)
                .hasMessageContaining("another version of callflux (journal v3)");
    }

    @Test
    void aTornLastLineIsIgnoredAndTheNextRecordStartsOnANewLine() throws IOException {
        Path j = dir.resolve("j.log");
        Files.writeString(j, TWILIO.header() + "\n" + sid(1) + ",SUCCEEDED\n" + sid(2) + ",SUCC");
        try (Journal journal = Journal.open(j, TWILIO)) {
            assertThat(journal.tornLastLine()).isTrue();
            assertThat(journal.malformedLines()).isZero();
            assertThat(journal.previouslyDone()).isEqualTo(1);
            assertThat(journal.done(sid(2))).isFalse();
            journal.record(succeeded(sid(2)));
        }
        assertThat(Files.readAllLines(j)).containsExactly(TWILIO.header(), sid(1) + ",SUCCEEDED", sid(2) + ",SUCC",
                sid(2) + ",SUCCEEDED");
        try (Journal journal = Journal.open(j, TWILIO)) {
            assertThat(journal.done(sid(2))).isTrue();
            assertThat(journal.malformedLines()).isEqualTo(1); // the torn line, now in the middle
            assertThat(journal.tornLastLine()).isFalse();
        }
    }

    @Test
    void aCompleteLastLineWithoutANewlineCountsAndGetsOne() throws IOException {
        Path j = dir.resolve("j.log");
        Files.writeString(j, TWILIO.header() + "\n" + sid(1) + ",SUCCEEDED");
        try (Journal journal = Journal.open(j, TWILIO)) {
            assertThat(journal.done(sid(1))).isTrue();
            assertThat(journal.tornLastLine()).isFalse();
            journal.record(failed(sid(2)));
        }
        assertThat(Files.readAllLines(j)).containsExactly(TWILIO.header(), sid(1) + ",SUCCEEDED", sid(2) + ",FAILED");
    }

    @Test
    void malformedLinesInTheMiddleAreIgnoredAndCounted() throws IOException {
        Path j = dir.resolve("j.log");
        Files.writeString(j, TWILIO.header() + "\n" + sid(1) + ",SUCCEEDED\ngarbage\n" + sid(2) + ",MAYBE\n\n# note\n"
                + sid(3) + ",ALREADY_ENDED\r\nCA12,SUCCEEDED\n");
        Journal.Contents c = Journal.read(j, TWILIO);
        assertThat(c.malformedLines()).isEqualTo(3);
        assertThat(c.doneCount()).isEqualTo(2);
        assertThat(c.done(sid(3))).isTrue();
    }

    @Test
    void readingDoesNotCreateOrChangeAnything() throws IOException {
        Path j = dir.resolve("none.log");
        Journal.Contents c = Journal.read(j, TWILIO);
        assertThat(c.isEmpty()).isTrue();
        assertThat(c.doneCount()).isZero();
        assertThat(j).doesNotExist();
        Files.writeString(j, TWILIO.header() + "\n" + sid(1) + ",SUCCEEDED");
        byte[] before = Files.readAllBytes(j);
        assertThat(Journal.read(j, TWILIO).done(sid(1))).isTrue();
        assertThat(Files.readAllBytes(j)).isEqualTo(before);
    }

    @Test
    void anEmptyExistingFileIsANewJournal() throws IOException {
        Path j = dir.resolve("j.log");
        Files.createFile(j);
        Journal.open(j, LOCAL).close();
        assertThat(Files.readAllLines(j)).containsExactly(LOCAL.header());
    }

    @Test
    void linesAreSyncedToDisk() throws IOException {
        Path j = dir.resolve("j.log");
        Journal journal = Journal.open(j, TWILIO);
        long afterHeader = journal.forces();
        assertThat(afterHeader).isGreaterThanOrEqualTo(1);
        journal.record(succeeded(sid(1)));
        journal.close();
        assertThat(journal.forces()).isGreaterThan(afterHeader);
        journal.close(); // twice is fine
        assertThatThrownBy(() -> journal.record(succeeded(sid(2)))).isInstanceOf(IOException.class);
    }

    @Test
    void recordingAndAskingFromTwoThreadsIsSafe() throws Exception {
        Path j = dir.resolve("j.log");
        int n = 20_000;
        try (Journal journal = Journal.open(j, TWILIO)) {
            CompletableFuture<Void> asker = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < n; i++) {
                    journal.done(sid(i));
                }
            });
            for (int i = 0; i < n; i++) {
                journal.record(succeeded(sid(i)));
            }
            asker.join();
            for (int i = 0; i < n; i++) {
                assertThat(journal.done(sid(i))).isTrue();
            }
        }
        assertThat(Journal.read(j, TWILIO).doneCount()).isEqualTo(n);
    }

    @Test
    void aJournalInADirectoryThatDoesNotExistOrThatIsADirectoryIsRefusedInTheUsersWords() {
        Path missing = dir.resolve("x").resolve("j.log");
        assertThatThrownBy(() -> Journal.open(missing, TWILIO)).isInstanceOf(SidInput.InputException.class)
                .hasMessage("cannot create the journal " + missing + ": no such directory");
        assertThatThrownBy(() -> Journal.open(dir, TWILIO)).isInstanceOf(SidInput.InputException.class)
                .hasMessage("cannot open the journal " + dir + ": is a directory");
        assertThat(missing.getParent()).doesNotExist();
    }

    @Test
    void aUtf8HeaderRoundTrips() {
        assertThat(Journal.decode(Journal.encode("a b%c\té\u2603"))).isEqualTo("a b%c\té\u2603");
        assertThat(Journal.encode("a b%c")).isEqualTo("a%20b%25c");
        assertThat(new String(Journal.encode("é").getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII))
                .isEqualTo("%C3%A9");
    }
}
