package dev.papertape.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ValidationDepth;
import java.time.Duration;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.pool.PooledRefMetadata;

/** The pool's eviction rule: its own idle and lifetime limits, plus connections found closed. */
class DatabaseConfigTest {
  private static Connection connection(Mono<Boolean> localValidation) {
    Connection c = mock(Connection.class);
    when(c.validate(ValidationDepth.LOCAL)).thenAnswer(i -> localValidation);
    return c;
  }

  private static PooledRefMetadata meta(long idleMillis, long lifeMillis) {
    PooledRefMetadata m = mock(PooledRefMetadata.class);
    when(m.idleTime()).thenReturn(idleMillis);
    when(m.lifeTime()).thenReturn(lifeMillis);
    return m;
  }

  private static final Connection OPEN = connection(Mono.just(true));

  @Test
  void anOpenConnectionStaysUntilIdleOrLifetimeRunOut() {
    BiPredicate<Connection, PooledRefMetadata> rule =
        DatabaseConfig.evict(Duration.ofMinutes(30), Duration.ofHours(1));
    assertThat(rule.test(OPEN, meta(1_000, 60_000))).isFalse();
    assertThat(rule.test(OPEN, meta(30 * 60_000, 60_000))).isTrue();
    assertThat(rule.test(OPEN, meta(0, 60 * 60_000))).isTrue();
  }

  @Test
  void noLifetimeLimitAndANegativeIdleLimitKeepAnOpenConnection() {
    BiPredicate<Connection, PooledRefMetadata> rule =
        DatabaseConfig.evict(Duration.ofMillis(-1), null);
    assertThat(rule.test(OPEN, meta(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2))).isFalse();
  }

  @Test
  void aZeroLimitEvictsAtOnce() {
    assertThat(DatabaseConfig.evict(Duration.ZERO, null).test(OPEN, meta(0, 0))).isTrue();
    assertThat(DatabaseConfig.evict(Duration.ofMinutes(1), Duration.ZERO).test(OPEN, meta(0, 0)))
        .isTrue();
  }

  @Test
  void aClosedConnectionIsEvictedAtOnce() {
    BiPredicate<Connection, PooledRefMetadata> rule =
        DatabaseConfig.evict(Duration.ofMinutes(30), null);
    assertThat(rule.test(connection(Mono.just(false)), meta(0, 0))).isTrue();
    assertThat(rule.test(connection(Mono.error(new IllegalStateException("gone"))), meta(0, 0)))
        .isTrue();
  }

  @Test
  void aValidationThatDoesNotAnswerAtOnceIsLeftToTheAcquire() {
    assertThat(DatabaseConfig.closed(connection(Mono.never()))).isFalse();
    assertThat(
            DatabaseConfig.closed(
                connection(Mono.just(true).delaySubscription(Duration.ofHours(1)))))
        .isFalse();
  }
}
