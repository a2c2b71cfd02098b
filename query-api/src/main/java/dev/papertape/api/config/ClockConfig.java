package dev.papertape.api.config;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The clock the API tells time with (a fixed one in tests). */
@Configuration
public class ClockConfig {
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
