package dev.papertape.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Papertape query API: market data, portfolio, strategies and live streams over HTTP. */
@SpringBootApplication
public class QueryApiApplication {
  public static void main(String[] args) {
    SpringApplication.run(QueryApiApplication.class, args);
  }
}
