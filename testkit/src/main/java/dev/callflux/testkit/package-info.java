/**
 * Test support for CallFlux: {@link dev.callflux.testkit.TwilioSimulator}, an in-process HTTP server that
 * behaves like Twilio's UpdateCall operation, with a {@link dev.callflux.testkit.Ledger} of what it received
 * and knobs for latency, rate limiting, server errors and connection resets;
 * {@link dev.callflux.testkit.TwilioSimulatorMain} runs it in its own process.
 */
package dev.callflux.testkit;
