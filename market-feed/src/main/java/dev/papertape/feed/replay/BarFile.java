package dev.papertape.feed.replay;

import java.time.Duration;

/**
 * What validating a bars file found.
 *
 * @param bars rows in the file
 * @param ticks trades the bars expand into
 * @param interval the bar length used to spread ticks
 * @param inferred whether {@code interval} was inferred from the file (no {@code --bar-interval})
 */
public record BarFile(long bars, long ticks, Duration interval, boolean inferred) {}
