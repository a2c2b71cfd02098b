package dev.papertape.api.config;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The clock the API tells time with (a fixed one in tests), and the clock skew it allows. */
@Configuration
@EnableConfigurationProperties(ClockProperties.class)
public class ClockConfig {
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
