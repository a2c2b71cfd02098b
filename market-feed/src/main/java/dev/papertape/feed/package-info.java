/**
 * The market feed. This package holds only what its parts share: a {@link
 * dev.papertape.feed.TradeSource} of trades, how it is paced ({@link dev.papertape.feed.Speed},
 * {@link dev.papertape.feed.Sleeper}) and the process's {@link dev.papertape.feed.FeedStatus}.
 *
 * <ul>
 *   <li>{@code cli}: the picocli {@code Main} (the jar's main class), {@code simulate} and {@code
 *       replay}, and the flag converters;
 *   <li>{@code app}: the process's lifecycle ({@code FeedApp}: topic, producer, health server,
 *       progress log, stop), its exit codes and health body;
 *   <li>{@code config}: {@code FeedConfig}, the typed {@code PAPERTAPE_FEED_*} settings;
 *   <li>{@code sim}: the GBM simulator; {@code replay}: CSV replay; {@code kafka}: the producer.
 * </ul>
 *
 * <p>Dependencies point one way, without cycles: {@code cli} uses {@code app}, {@code config},
 * {@code sim} and {@code replay}; {@code app} uses {@code config}, {@code kafka} and {@code
 * replay}; {@code config} uses {@code sim}; {@code sim}, {@code replay} and {@code kafka} use only
 * this package.
 */
package dev.papertape.feed;
