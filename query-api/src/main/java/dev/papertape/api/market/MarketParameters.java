package dev.papertape.api.market;

import dev.papertape.model.MetricWindow;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;

/**
 * How the market endpoints' query parameters bind: each type parses its own text and rejects it
 * with the message the API answers ({@code ProblemHandler} turns the rejection into an {@code
 * invalid-parameter} problem naming the parameter). A blank optional parameter means "not given".
 */
@Configuration(proxyBeanMethods = false)
public class MarketParameters implements WebFluxConfigurer {

  @Override
  public void addFormatters(FormatterRegistry registry) {
    registry.addConverter(String.class, MetricWindow.class, MetricWindow::parse);
    registry.addConverter(String.class, SortOrder.class, SortOrder::parse);
    registry.addConverter(
        String.class, WindowSelection.class, s -> s.isBlank() ? null : WindowSelection.parse(s));
    registry.addConverter(
        String.class, TimeBound.class, s -> s.isBlank() ? null : TimeBound.parse(s));
    registry.addConverter(
        String.class, SymbolCursor.class, s -> s.isBlank() ? null : SymbolCursor.parse(s));
  }
}
