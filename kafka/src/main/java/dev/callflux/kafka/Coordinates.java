package dev.callflux.kafka;

/**
 * Where a command came from: its record's partition and offset, and its command id (never {@code null}: a
 * record without a readable id gets {@code topic-partition@offset}). The correlation value of the worker's bulk
 * run, so each result finds its way back to the offset it releases. {@code redirect}: a Url/Twiml command,
 * whose result is also recorded in the intents topic.
 */
record Coordinates(String topic, int partition, long offset, String commandId, boolean redirect) {

    /** The id given to a record whose value has no readable {@code id}. */
    static String fallbackId(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }
}
