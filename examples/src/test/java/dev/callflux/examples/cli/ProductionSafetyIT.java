package dev.callflux.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.testkit.TwilioSimulator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each way the CLI used to report success while calls stayed live, run as a user would (the packaged jar as a
 * process, through a shell where a pipe or a process substitution is involved), proved from the simulator's
 * ledger and from the report and journal.
 */
class ProductionSafetyIT {

    @TempDir
    Path dir;

    /** The run's exit code, standard output and standard error. */
    record Run(int exit, String out, String err) {
    }

    private static String sid(int batch, int i) {
        return dev.callflux.testkit.TestSids.callSid(batch, i);
    }

    private List<String> sidList(int batch, int n) {
        return IntStream.range(0, n).mapToObj(i -> sid(batch, i)).collect(Collectors.toList());
    }

    private Path file(String name, List<String> lines) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, lines, StandardCharsets.UTF_8);
        return f;
    }


    private static Map<String, String> credentials(TwilioSimulator sim) {
        Map<String, String> env = new HashMap<>();
        env.put("TWILIO_ACCOUNT_SID", sim.accountSid());
        env.put("TWILIO_AUTH_TOKEN", sim.authToken());
        return env;
    }

    /** Runs {@code script} with bash, {@code $CALLFLUX} standing for the packaged command. */
    private Run shell(Map<String, String> env, String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                "callflux() { \"$CALLFLUX_JAVA\" -jar \"$CALLFLUX_JAR\" \"$@\"; }; " + script.replace("$CALLFLUX", "callflux"));
        pb.environment().put("CALLFLUX_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().put("CALLFLUX_JAR", Path.of(System.getProperty("callflux.jar", "target/callflux.jar")).toAbsolutePath().toString());
        return run(pb, env);
    }

    private Run callflux(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("callflux.jar", "target/callflux.jar")));
        cmd.addAll(List.of(args));
        return run(new ProcessBuilder(cmd), env);
    }

    private Run run(ProcessBuilder pb, Map<String, String> env) throws Exception {
        pb.environment().keySet().removeIf(k -> k.startsWith("TWILIO_"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("callflux finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static void assertAllHungUpOnce(TwilioSimulator sim, List<String> sids) {
        for (String s : sids) {
            assertThat(sim.ledger().call(s).hangupsApplied()).as(s).isEqualTo(1);
        }
    }

    @Test
    void aProcessSubstitutionAPipeAndStandardInputAreReadOnceAndEverySidIsHungUp() throws Exception {
        try (TwilioSimulator sim = TwilioSimulator.builder().start()) {
            List<String> campaign = sidList(11, 300);
            List<String> all = new ArrayList<>();
            for (String s : campaign) {
                all.add(s + " campaign-42");
                all.add(sid(12, all.size()) + " campaign-7");
            }
            Path allFile = file("all.txt", all);
            String base = " hangup --base-url " + sim.baseUrl() + " --json";

            Run substitution = shell(credentials(sim), "$CALLFLUX" + base + " --sids <(grep campaign-42 '" + allFile + "' | cut -d' ' -f1)");
            assertThat(substitution.exit()).as(substitution.err()).isZero();
            assertThat(substitution.out()).contains("\"total\":300", "\"succeeded\":300");
            assertAllHungUpOnce(sim, campaign);
            sim.ledger().clear();

            Run devStdin = shell(credentials(sim), "grep campaign-42 '" + allFile + "' | cut -d' ' -f1 | $CALLFLUX" + base + " --sids /dev/stdin");
            assertThat(devStdin.exit()).as(devStdin.err()).isZero();
            assertThat(devStdin.out()).contains("\"total\":300", "\"succeeded\":300");
            assertAllHungUpOnce(sim, campaign);
            sim.ledger().clear();

            Run dash = shell(credentials(sim), "grep campaign-42 '" + allFile + "' | cut -d' ' -f1 | $CALLFLUX" + base + " --sids -");
            assertThat(dash.exit()).as(dash.err()).isZero();
            assertAllHungUpOnce(sim, campaign);
            assertThat(sim.ledger().totalRequests()).isEqualTo(campaign.size());
        }
    }

    @Test
    void aFifoIsReadOnceToItsEndAndDoesNotHang() throws Exception {
        try (TwilioSimulator sim = TwilioSimulator.builder().start()) {
            List<String> sids = sidList(13, 500);
            Path fifo = dir.resolve("sids.fifo");
            assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
            Thread writer = new Thread(() -> {
                try (OutputStream o = Files.newOutputStream(fifo)) {
                    o.write((String.join("\n", sids) + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            Run r = callflux(credentials(sim), "hangup", "--sids", fifo.toString(), "--base-url", sim.baseUrl(), "--json");
            writer.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("\"total\":500", "\"succeeded\":500");
            assertAllHungUpOnce(sim, sids);
        }
    }

    @Test
    void twilioCliJsonPipedInWithDuplicatesSendsEachSidOnce() throws Exception {
        try (TwilioSimulator sim = TwilioSimulator.builder().start()) {
            List<String> sids = sidList(14, 50);
            StringBuilder json = new StringBuilder("[\n");
            for (int i = 0; i < sids.size(); i++) {
                json.append("  {\n    \"sid\": \"").append(sids.get(i)).append("\",\n    \"status\": \"in-progress\"\n  },\n");
            }
            json.append("  {\n    \"sid\": \"").append(sids.get(0)).append("\",\n    \"status\": \"in-progress\"\n  }\n]\n");
            Path input = dir.resolve("calls.json");
            Files.writeString(input, json);
            Run r = shell(credentials(sim), "cat '" + input + "' | $CALLFLUX hangup --base-url " + sim.baseUrl() + " --json");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("\"total\":50", "\"succeeded\":50", "\"duplicates\":1");
            assertThat(sim.ledger().totalRequests()).isEqualTo(50);
        }
    }

    @Test
    void aJournalOfAnotherAccountIsRefusedBeforeAnythingIsSent() throws Exception {
        try (TwilioSimulator first = TwilioSimulator.builder().start();
             TwilioSimulator second = TwilioSimulator.builder().account("AC" + "5".repeat(32), "6".repeat(32)).start()) {
            Path sids = file("sids.txt", sidList(15, 100));
            Path journal = dir.resolve("journal.log");
            Run done = callflux(credentials(first), "hangup", "--sids", sids.toString(), "--base-url", first.baseUrl(),
                    "--journal", journal.toString());
            assertThat(done.exit()).as(done.err()).isZero();
            byte[] before = Files.readAllBytes(journal);

            Run other = callflux(credentials(second), "hangup", "--sids", sids.toString(), "--base-url", second.baseUrl(),
                    "--journal", journal.toString());
            assertThat(other.exit()).isEqualTo(2);
            assertThat(other.err()).contains("belongs to account " + first.accountSid(), "not account " + second.accountSid());
            assertThat(second.ledger().totalRequests()).isZero();
            assertThat(Files.readAllBytes(journal)).isEqualTo(before);

            Run dry = callflux(credentials(first), "hangup", "--sids", sids.toString(), "--base-url", first.baseUrl(),
                    "--journal", journal.toString(), "--dry-run");
            assertThat(dry.exit()).as(dry.err()).isZero();
            assertThat(dry.err()).contains("0 requests would be sent, 100 skipped");
        }
    }

    @Test
    void aResumedRunWithTheSameReportEndsWithOneFinalRowPerSid() throws Exception {
        try (TwilioSimulator sim = TwilioSimulator.builder().start()) {
            List<String> firstHalf = sidList(16, 200);
            List<String> all = new ArrayList<>(firstHalf);
            all.addAll(sidList(17, 200));
            Path report = dir.resolve("report.csv");
            Path journal = dir.resolve("journal.log");
            Run first = callflux(credentials(sim), "hangup", "--sids", file("half.txt", firstHalf).toString(),
                    "--base-url", sim.baseUrl(), "--report", report.toString(), "--journal", journal.toString());
            assertThat(first.exit()).as(first.err()).isZero();

            Run resumed = callflux(credentials(sim), "hangup", "--sids", file("all.txt", all).toString(),
                    "--base-url", sim.baseUrl(), "--report", report.toString(), "--journal", journal.toString(), "--json");
            assertThat(resumed.exit()).as(resumed.err()).isZero();
            assertThat(resumed.out()).contains("\"skipped\":200", "\"total\":200");
            List<String> rows = Files.readAllLines(report);
            assertThat(rows.get(0)).isEqualTo(Report.HEADER);
            Map<String, String> bySid = rows.stream().skip(1).collect(Collectors.toMap(r -> r.split(",")[0], r -> r));
            assertThat(rows).hasSize(all.size() + 1);
            assertThat(bySid.keySet()).containsExactlyInAnyOrderElementsOf(all);
            assertThat(bySid.values()).allSatisfy(r -> assertThat(r.split(",")[1]).isEqualTo("SUCCEEDED"));
            assertAllHungUpOnce(sim, all);
            assertThat(sim.ledger().totalRequests()).isEqualTo(all.size());
        }
    }

    @Test
    void refusedCredentialsStopTheBatchWithinSecondsSayingWhatToCheck() throws Exception {
        try (TwilioSimulator sim = TwilioSimulator.builder().start()) {
            List<String> sids = sidList(18, 2_000);
            Path report = dir.resolve("report.csv");
            Map<String, String> env = credentials(sim);
            env.put("TWILIO_AUTH_TOKEN", "0".repeat(32));
            long start = System.nanoTime();
            Run r = callflux(env, "hangup", "--sids", file("sids.txt", sids).toString(), "--base-url", sim.baseUrl(),
                    "--report", report.toString());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
            assertThat(r.exit()).isEqualTo(CallFluxCli.STOPPED);
            assertThat(r.err()).contains("Twilio refused the credentials for " + sim.accountSid()
                    + ": check TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN (or TWILIO_API_KEY / TWILIO_API_SECRET)");
            assertThat(r.err()).doesNotContain("0".repeat(32));
            assertThat(sim.ledger().totalRequests()).isLessThan(100);
            List<String> rows = Files.readAllLines(report);
            assertThat(rows).hasSize(sids.size() + 1);
            assertThat(rows.stream().filter(row -> row.contains("not sent")).count()).isGreaterThan(sids.size() - 100);
        }
    }

    @Test
    void anEndpointWhereNothingListensStopsTheBatchWithinSeconds() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = Map.of("TWILIO_ACCOUNT_SID", "AC" + "1".repeat(32), "TWILIO_AUTH_TOKEN", "2".repeat(32));
        long start = System.nanoTime();
        Run r = callflux(env, "hangup", "--sids", file("sids.txt", sidList(19, 2_000)).toString(),
                "--base-url", "http://127.0.0.1:" + port, "--json");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(r.exit()).isEqualTo(CallFluxCli.STOPPED);
        assertThat(r.err()).contains("cannot connect to 127.0.0.1:" + port + ": connection refused");
        assertThat(r.out()).contains("\"total\":2000", "\"succeeded\":0");
        assertThat(r.out()).containsPattern("\"retries\":[0-9]{1,3},");
        assertThat(r.err()).doesNotContain("Exception", "io.netty", "reactor.");
    }

    @Test
    void aRegionGoesToItsDefaultEdgeAndTheDryRunShowsTheFullUrl() throws Exception {
        Map<String, String> env = Map.of("TWILIO_ACCOUNT_SID", "AC" + "1".repeat(32), "TWILIO_AUTH_TOKEN", "2".repeat(32));
        Path sids = file("one.txt", List.of(sid(20, 1)));
        Run flag = callflux(env, "hangup", "--sids", sids.toString(), "--region", "ie1", "--dry-run");
        assertThat(flag.exit()).as(flag.err()).isZero();
        assertThat(flag.out()).startsWith("POST https://api.dublin.ie1.twilio.com/2010-04-01/Accounts/AC" + "1".repeat(32)
                + "/Calls/" + sid(20, 1) + ".json Status=completed");

        Map<String, String> regional = new HashMap<>(env);
        regional.put("TWILIO_REGION", "au1");
        Run fromEnv = callflux(regional, "hangup", "--sids", sids.toString(), "--dry-run");
        assertThat(fromEnv.out()).startsWith("POST https://api.sydney.au1.twilio.com/");

        Run unknown = callflux(env, "hangup", "--sids", sids.toString(), "--region", "xx9", "--dry-run");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("--region (or TWILIO_REGION) must be one of us1", "ie1 (edge dublin)");
    }

    @Test
    void callsThatEndedOnTheirOwnCountAsAlreadyEndedAndTheRunSucceeds() throws Exception {
        try (TwilioSimulator sim = TwilioSimulator.builder().alreadyEndedFraction(0.2).start()) {
            List<String> sids = sidList(21, 1_000);
            Path report = dir.resolve("report.csv");
            Run r = callflux(credentials(sim), "hangup", "--sids", file("sids.txt", sids).toString(),
                    "--base-url", sim.baseUrl(), "--report", report.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            long ended = sim.ledger().totalNotInProgressAnswers();
            assertThat(ended).isBetween(100L, 300L);
            assertThat(r.err()).contains((1_000 - ended) + " succeeded, " + ended + " already ended, 0 failed");
            assertThat(Files.readAllLines(report).stream().filter(row -> row.contains(",ALREADY_ENDED,400,21220,")).count())
                    .isEqualTo(ended);
        }
    }

    @Test
    void bothCredentialsInTheEnvironmentSayWhichIsUsedAndHelpAndCompletionWork() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("TWILIO_ACCOUNT_SID", "AC" + "1".repeat(32),
                "TWILIO_AUTH_TOKEN", "2".repeat(32), "TWILIO_API_KEY", "SK" + "3".repeat(32), "TWILIO_API_SECRET", "s3cr3t-value"));
        Run both = callflux(env, "hangup", "--sid", sid(22, 1), "--dry-run");
        assertThat(both.err()).contains("using the API key SK" + "3".repeat(32) + " (TWILIO_API_KEY)");
        assertThat(both.err()).doesNotContain("s3cr3t-value", "2".repeat(32));

        Run help = callflux(Map.of(), "help", "hangup");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: callflux hangup", "--sids");

        Run completion = callflux(Map.of(), "completion", "bash");
        assertThat(completion.exit()).isZero();
        assertThat(completion.out()).contains("complete -F", "hangup");
    }

    @Test
    void anUntrustedCertificateIsOneLineInTheUsersWordsWithNoLibraryLogLines() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        try (javax.net.ssl.SSLServerSocket server = (javax.net.ssl.SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) server.accept()) {
                        s.startHandshake(); // the client refuses the certificate: this fails, as it should
                    } catch (IOException refusedOrClosed) {
                        // next connection, or the end of the test
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Map<String, String> env = Map.of("TWILIO_ACCOUNT_SID", "AC" + "1".repeat(32), "TWILIO_AUTH_TOKEN", "2".repeat(32));
            Run r = callflux(env, "update", "--sid", sid(23, 1), "--status", "completed",
                    "--base-url", "https://127.0.0.1:" + server.getLocalPort());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err().strip()).isEqualTo("callflux: the TLS certificate of 127.0.0.1:" + server.getLocalPort() + " is not trusted");

            Run verbose = callflux(env, "update", "--sid", sid(23, 1), "--status", "completed", "--verbose",
                    "--base-url", "https://127.0.0.1:" + server.getLocalPort());
            assertThat(verbose.err()).as("the library's own lines only when asked for").contains("WARN");
        }
    }
}
