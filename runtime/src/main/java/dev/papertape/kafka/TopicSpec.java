package dev.papertape.kafka;

import java.util.Map;

/**
 * A topic Papertape owns: its name, partitions and topic-level configs.
 *
 * @param configs topic configs (e.g. {@code retention.ms}); applied when the topic is created
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {}
