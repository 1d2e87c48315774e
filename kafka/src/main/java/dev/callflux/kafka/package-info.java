/**
 * A Kafka-fed CallFlux worker: {@link dev.callflux.kafka.CallFluxKafkaWorker} takes UpdateCall commands from a
 * topic, runs them through one long-lived bulk run of a {@link dev.callflux.reactor.CallFluxClient}, and writes
 * one result record per command, committing each partition's offsets only behind results the broker has
 * acknowledged. See the module's README for the record formats and the delivery guarantees.
 */
package dev.callflux.kafka;
