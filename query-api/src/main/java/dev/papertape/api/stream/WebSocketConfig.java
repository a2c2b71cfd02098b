package dev.papertape.api.stream;

import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

/** Maps {@code /ws/stream} to the stream WebSocket handler. */
@Configuration
@EnableConfigurationProperties(StreamProperties.class)
public class WebSocketConfig {
  @Bean
  HandlerMapping webSocketMapping(StreamWebSocketHandler handler) {
    return new SimpleUrlHandlerMapping(Map.of("/ws/stream", handler), -1);
  }
}
