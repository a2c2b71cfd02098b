package dev.papertape.api.config;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Option;
import io.r2dbc.spi.ValidationDepth;
import java.time.Duration;
import java.util.function.BiPredicate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.r2dbc.ConnectionFactoryBuilder;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import reactor.pool.PooledRefMetadata;

/**
 * The R2DBC connection pool: Spring Boot's, built from the same {@code spring.r2dbc.*} settings,
 * with one rule Boot cannot express: an idle connection the server has closed (database restart,
 * failover, a killed backend) is dropped as soon as the pool looks at it, instead of being handed
 * out.
 *
 * <p>Why: after a restart the pool still holds every connection it had (up to {@code
 * spring.r2dbc.pool.initial-size}, 10), all closed by the server. The pool's validation on acquire
 * finds each one closed, but every dead connection it finds costs the request one of its {@code
 * acquire-retry} (1) retries; two dead ones and the request fails ("Connection validation failed",
 * a 503) although the database is back. Checked as an eviction rule, a closed connection costs
 * nothing: the pool skips it and takes the next, or opens a new one.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(R2dbcProperties.class)
public class DatabaseConfig {

  @Bean(destroyMethod = "dispose")
  ConnectionPool connectionFactory(R2dbcProperties properties) {
    ConnectionFactory driver =
        ConnectionFactoryBuilder.withUrl(properties.getUrl())
            .username(properties.getUsername())
            .password(properties.getPassword())
            .configure(
                options ->
                    properties
                        .getProperties()
                        .forEach((k, v) -> options.option(Option.valueOf(k), v)))
            .build();
    R2dbcProperties.Pool pool = properties.getPool();
    ConnectionPoolConfiguration.Builder config =
        ConnectionPoolConfiguration.builder(driver)
            .initialSize(pool.getInitialSize())
            .maxSize(pool.getMaxSize())
            .minIdle(pool.getMinIdle())
            .acquireRetry(pool.getAcquireRetry())
            .maxIdleTime(pool.getMaxIdleTime())
            .validationDepth(pool.getValidationDepth())
            .customizer(
                b -> b.evictionPredicate(evict(pool.getMaxIdleTime(), pool.getMaxLifeTime())));
    if (pool.getMaxLifeTime() != null) {
      config.maxLifeTime(pool.getMaxLifeTime());
    }
    if (pool.getMaxAcquireTime() != null) {
      config.maxAcquireTime(pool.getMaxAcquireTime());
    }
    if (pool.getMaxCreateConnectionTime() != null) {
      config.maxCreateConnectionTime(pool.getMaxCreateConnectionTime());
    }
    if (pool.getMaxValidationTime() != null) {
      config.maxValidationTime(pool.getMaxValidationTime());
    }
    if (pool.getValidationQuery() != null && !pool.getValidationQuery().isBlank()) {
      config.validationQuery(pool.getValidationQuery());
    }
    return new ConnectionPool(config.build());
  }

  /**
   * The pool's own rule (idle longer than {@code maxIdle} or older than {@code maxLife}; either
   * zero evicts at once), or closed. The pool applies it to idle connections on acquire, on release
   * and in its background eviction; it replaces the pool's rule, so it repeats it.
   */
  static BiPredicate<Connection, PooledRefMetadata> evict(Duration maxIdle, Duration maxLife) {
    return (connection, meta) -> {
      if (maxIdle.isZero() || (maxLife != null && maxLife.isZero())) {
        return true;
      }
      boolean idle = !maxIdle.isNegative() && meta.idleTime() >= maxIdle.toMillis();
      boolean old =
          maxLife != null && !maxLife.isNegative() && meta.lifeTime() >= maxLife.toMillis();
      return idle || old || closed(connection);
    };
  }

  /**
   * Whether the driver knows the connection is closed, without a round trip: the local validation
   * (for PostgreSQL, whether the socket is still open) when it answers at once; a driver whose
   * local validation does not is left to the validation on acquire.
   */
  static boolean closed(Connection connection) {
    Boolean open =
        Mono.from(connection.validate(ValidationDepth.LOCAL))
            .onErrorReturn(Boolean.FALSE)
            .toFuture()
            .getNow(Boolean.TRUE);
    return !Boolean.TRUE.equals(open);
  }
}
