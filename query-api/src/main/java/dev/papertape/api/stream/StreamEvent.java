package dev.papertape.api.stream;

/**
 * One event of a channel, as sent to clients.
 *
 * @param id {@code <epoch>-<seq>}: the process's start time and a per-channel sequence number; a
 *     client sends it back as {@code Last-Event-ID} to resume
 * @param json the event in its data-contract JSON (the same as on the Kafka topic)
 */
public record StreamEvent(Channel channel, long seq, String id, String symbol, String json) {}
