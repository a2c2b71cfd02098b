package dev.papertape.api.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.api.problem.ParameterFormatException;
import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.MetricWindow;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.convert.ConversionFailedException;
import org.springframework.format.support.DefaultFormattingConversionService;

/** The market parameters' own parsing, and their converters as WebFlux registers them. */
class MarketParametersTest {
  private final DefaultFormattingConversionService conversions = conversions();

  private static DefaultFormattingConversionService conversions() {
    DefaultFormattingConversionService c = new DefaultFormattingConversionService();
    new MarketParameters().addFormatters(c);
    return c;
  }

  @Test
  void sortOrderIsAscOrDescInAnyCase() {
    assertThat(SortOrder.parse("ASC")).isEqualTo(SortOrder.ASC);
    assertThat(SortOrder.parse("desc")).isEqualTo(SortOrder.DESC);
    assertThat(SortOrder.ASC.ascending()).isTrue();
    assertThat(SortOrder.DESC.label()).isEqualTo("desc");
    assertThatThrownBy(() -> SortOrder.parse(" asc"))
        .isInstanceOfSatisfying(
            ParameterFormatException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("must be asc or desc");
              assertThat(e.text()).isEqualTo(" asc");
            });
  }

  @Test
  void timeBoundsAreIsoOrEpochMillisWithinYears1To9999() {
    assertThat(TimeBound.parse(" 1767693600000 "))
        .isEqualTo(new TimeBound(Instant.parse("2026-01-06T10:00:00Z"), " 1767693600000 "));
    assertThat(TimeBound.parse("2026-01-06T11:00:00+01:00").at())
        .isEqualTo(Instant.parse("2026-01-06T10:00:00Z"));
    assertThat(TimeBound.parse("0").at()).isEqualTo(Instant.EPOCH);
    assertThat(TimeBound.parse("9999-12-31T00:00:00Z").at()).isEqualTo(MarketRepository.MAX);
    for (String bad :
        List.of(
            "yesterday",
            "-1",
            "253402300800000",
            "99999999999999999999",
            "0000-12-31T00:00:00Z",
            "2026-01-06")) {
      assertThatThrownBy(() -> TimeBound.parse(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              ParameterFormatException.class,
              e -> assertThat(e.reason()).isEqualTo(TimeBound.ACCEPTED));
    }
  }

  @Test
  void aCursorIsACanonicalSymbolNamingTheAfterParameter() {
    assertThat(SymbolCursor.parse(" brk.b ")).isEqualTo(new SymbolCursor("BRK.B"));
    assertThat(SymbolCursor.after(null)).isEmpty();
    assertThatThrownBy(() -> SymbolCursor.parse("$$"))
        .isInstanceOfSatisfying(
            InvalidRecordException.class, e -> assertThat(e.field()).isEqualTo("after"));
  }

  @Test
  void aWindowSelectionHoldsEachSizeOnceSmallestFirst() {
    WindowSelection w = WindowSelection.parse("1d, 1m,1D,1s,");
    assertThat(w.windows()).containsExactly(MetricWindow.S1, MetricWindow.M1, MetricWindow.D1);
    assertThat(w.labels()).isEqualTo("1s,1m,1d");
    assertThatThrownBy(() -> WindowSelection.parse("1m,,5m"))
        .isInstanceOfSatisfying(
            InvalidRecordException.class, e -> assertThat(e.field()).isEqualTo("window"));
  }

  @Test
  void convertersBindEachTypeAndABlankOptionalParameterIsNone() {
    assertThat(conversions.convert("5M", MetricWindow.class)).isEqualTo(MetricWindow.M5);
    assertThat(conversions.convert("asc", SortOrder.class)).isEqualTo(SortOrder.ASC);
    assertThat(conversions.convert("0", TimeBound.class).at()).isEqualTo(Instant.EPOCH);
    assertThat(conversions.convert("aapl", SymbolCursor.class).symbol()).isEqualTo("AAPL");
    assertThat(conversions.convert("1h,1m", WindowSelection.class).labels()).isEqualTo("1m,1h");
    for (Class<?> optional : List.of(TimeBound.class, SymbolCursor.class, WindowSelection.class)) {
      assertThat(conversions.convert(" ", optional)).as(optional.getSimpleName()).isNull();
    }
    assertThatThrownBy(() -> conversions.convert("2m", MetricWindow.class))
        .isInstanceOf(ConversionFailedException.class)
        .hasRootCauseInstanceOf(InvalidRecordException.class);
    assertThatThrownBy(() -> conversions.convert("up", SortOrder.class))
        .isInstanceOf(ConversionFailedException.class)
        .hasRootCauseInstanceOf(ParameterFormatException.class);
  }
}
