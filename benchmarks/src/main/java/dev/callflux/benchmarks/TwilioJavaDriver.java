package dev.callflux.benchmarks;

import com.twilio.Twilio;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * Drives twilio-java 11.3.6 in a load run, the way its users write a batch of hang-ups.
 *
 * <p>{@link Mode#ASYNC} (the default): {@code Call.updater(account, sid).setStatus(COMPLETED).updateAsync(client)}
 * for every SID from one thread, at most {@code concurrency} outstanding (a {@link Semaphore} acquired
 * before each call and released when its future completes). This is twilio-java's own asynchronous API:
 * {@code updateAsync} runs the blocking {@code update} on {@link Twilio#getExecutorService()}, an unbounded
 * cached thread pool, so it uses about one thread per request in flight. {@link Mode#THREADS}:
 * {@code concurrency} worker threads each calling the blocking {@code update(client)} in a loop, the other
 * common way. {@link Mode#VIRTUAL} (Java 21+): one virtual thread per call, each calling the blocking
 * {@code update(client)}, at most {@code concurrency} in flight (a {@link Semaphore} acquired before each thread is
 * started): what a Java team would write in 2026. The executor is looked up reflectively
 * ({@link VirtualThreads}), so this module still compiles and runs its other modes on Java 17.
 */
public final class TwilioJavaDriver implements AutoCloseable {

    /** How requests are issued concurrently. */
    public enum Mode {
        ASYNC, THREADS, VIRTUAL;

        public static Mode parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    private final TwilioRestClient client;
    private final String accountSid;
    private final Mode mode;

    public TwilioJavaDriver(String baseUrl, String accountSid, String authToken, int concurrency, Mode mode) {
        this.accountSid = accountSid;
        this.mode = mode;
        this.client = new TwilioRestClient.Builder(accountSid, authToken)
                .httpClient(new SimulatorHttpClient(baseUrl, concurrency))
                .build();
    }

    /** Hangs up every call in {@code sids}, at most {@code concurrency} at a time, and waits until all are done. */
    public void hangupAll(Stream<String> sids, int concurrency, Tally tally) throws InterruptedException {
        if (mode == Mode.ASYNC) {
            async(sids, concurrency, tally);
        } else if (mode == Mode.VIRTUAL) {
            virtual(sids, concurrency, tally);
        } else {
            threads(sids, concurrency, tally);
        }
    }

    private void virtual(Stream<String> sids, int concurrency, Tally tally) throws InterruptedException {
        Semaphore permits = new Semaphore(concurrency);
        java.util.concurrent.ExecutorService executor = VirtualThreads.newThreadPerTaskExecutor();
        try {
            Iterator<String> it = sids.iterator();
            while (it.hasNext()) {
                String sid = it.next();
                permits.acquire();
                executor.execute(() -> {
                    try {
                        Call.updater(accountSid, sid).setStatus(Call.UpdateStatus.COMPLETED).update(client);
                        tally.ok();
                    } catch (RuntimeException e) {
                        tally.failure(e);
                    } finally {
                        permits.release();
                    }
                });
            }
            permits.acquire(concurrency);
            permits.release(concurrency);
        } finally {
            executor.shutdown();
        }
    }

    private void async(Stream<String> sids, int concurrency, Tally tally) throws InterruptedException {
        Semaphore permits = new Semaphore(concurrency);
        Iterator<String> it = sids.iterator();
        while (it.hasNext()) {
            String sid = it.next();
            permits.acquire();
            try {
                Call.updater(accountSid, sid)
                        .setStatus(Call.UpdateStatus.COMPLETED)
                        .updateAsync(client)
                        .whenComplete((call, error) -> {
                            if (error == null) {
                                tally.ok();
                            } else {
                                tally.failure(error);
                            }
                            permits.release();
                        });
            } catch (RuntimeException e) {
                // e.g. the executor refused the task
                tally.failure(e);
                permits.release();
            }
        }
        permits.acquire(concurrency);
        permits.release(concurrency);
    }

    private void threads(Stream<String> sids, int concurrency, Tally tally) throws InterruptedException {
        Iterator<String> it = sids.iterator();
        Thread[] workers = new Thread[concurrency];
        for (int i = 0; i < concurrency; i++) {
            workers[i] = new Thread(() -> {
                while (true) {
                    String sid;
                    synchronized (it) {
                        if (!it.hasNext()) {
                            return;
                        }
                        sid = it.next();
                    }
                    try {
                        Call.updater(accountSid, sid).setStatus(Call.UpdateStatus.COMPLETED).update(client);
                        tally.ok();
                    } catch (RuntimeException e) {
                        tally.failure(e);
                    }
                }
            }, "twilio-worker-" + i);
            workers[i].start();
        }
        for (Thread w : workers) {
            w.join();
        }
    }

    @Override
    public void close() {
        // Twilio's executor is a JVM-wide singleton; its threads die after 60 s idle, and the process exits.
    }
}
