package dev.callflux.spring.autoconfigure;

import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.CallSid;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.reactor.UpdateObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.util.context.ContextView;

/** Shared test values, and an observer that records the threads a client's requests end on. */
final class Fixtures {

    static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    static final String TOKEN = "s3cr3t-auth-token-0123456789";
    static final String KEY = "SK0123456789abcdef0123456789abcdef";
    static final String SECRET = "s3cr3t-api-secret-0123456789";

    private Fixtures() {
    }

    /** Records the name of the thread each request ended on. */
    static final class ThreadRecorder implements UpdateObserver {
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public Attempt onRequest(AccountSid account, CallSid call, UpdateCallRequest request, ContextView context) {
            return new Attempt() {
                @Override
                public void succeeded(int status, Call answer) {
                    threads.add(Thread.currentThread().getName());
                }

                @Override
                public void failed(Throwable error) {
                    threads.add(Thread.currentThread().getName());
                }
            };
        }
    }
}
