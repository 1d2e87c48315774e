package dev.callflux.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link CallFluxConfigurationException} (missing or malformed credentials or settings) into Spring Boot's
 * "APPLICATION FAILED TO START / Description / Action" report instead of a stack trace. Registered in
 * {@code META-INF/spring.factories}.
 */
public class CallFluxFailureAnalyzer extends AbstractFailureAnalyzer<CallFluxConfigurationException> {

    /** Creates the analyzer (Spring Boot does, at a failed start). */
    public CallFluxFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, CallFluxConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
    }
}
