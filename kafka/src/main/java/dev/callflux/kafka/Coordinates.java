package dev.callflux.kafka;

import dev.callflux.core.model.UpdateCallRequest;

/**
 * Where a command came from: its record's partition and offset, and its command id (never {@code null}: a
 * record without a readable id gets {@code topic-partition@offset}). The correlation value of the worker's bulk
 * run, so each result finds its way back to the offset it releases. {@code request}: the command's update, or
 * {@code null} for a record that is not a valid command.
 */
record Coordinates(String topic, int partition, long offset, String commandId, UpdateCallRequest request) {

    /** A Url/Twiml command, whose result is also recorded in the intents topic. */
    boolean redirect() {
        return request != null && !request.isIdempotent();
    }

    /** The id given to a record whose value has no readable {@code id}. */
    static String fallbackId(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }
}
