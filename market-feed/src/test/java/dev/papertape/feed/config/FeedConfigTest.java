package dev.papertape.feed.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.config.Settings;
import dev.papertape.feed.sim.ScenarioName;
import dev.papertape.feed.sim.SimulatorConfig;
import dev.papertape.feed.sim.SizeDistribution;
import dev.papertape.feed.sim.SymbolSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class FeedConfigTest {
  private static FeedConfig config(String... keyValues) {
    Map<String, String> env = new java.util.HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      env.put(keyValues[i], keyValues[i + 1]);
    }
    return FeedConfig.from(new Settings(env));
  }

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    FeedConfig c = config();

    assertThat(c.kafkaBootstrap()).isEqualTo("localhost:9092");
    assertThat(c.tradesTopic()).isEqualTo("trades");
    assertThat(c.tradesPartitions()).isEqualTo(4);
    assertThat(c.topicRetentionDays()).isEqualTo(7);
    assertThat(c.healthPort()).isEqualTo(8082);
    assertThat(c.bindAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(c.seed()).isEmpty();
    assertThat(c.simulator()).isEqualTo(SimulatorConfig.DEFAULT);
    assertThat(c.describeSimulator())
        .containsEntry("PAPERTAPE_FEED_START_PRICES", "AAPL=190,GOOGL=175,MSFT=420,TSLA=250")
        .containsEntry("PAPERTAPE_FEED_SEED", "random")
        .containsEntry("PAPERTAPE_FEED_OUT_OF_ORDER_MAX_DELAY", "2s");
  }

  @Test
  void everySettingCanBeChanged() {
    FeedConfig c =
        config(
            "PAPERTAPE_KAFKA_BOOTSTRAP", "kafka:29092",
            "PAPERTAPE_TRADES_TOPIC", "ticks.v2",
            "PAPERTAPE_TRADES_PARTITIONS", "8",
            "PAPERTAPE_TOPIC_RETENTION_DAYS", "30",
            "PAPERTAPE_FEED_PORT", "0",
            "PAPERTAPE_BIND_ADDRESS", "0.0.0.0",
            "PAPERTAPE_FEED_SYMBOLS", "aapl, NVDA",
            "PAPERTAPE_FEED_START_PRICES", "NVDA=120.50",
            "PAPERTAPE_FEED_DRIFT", "0.1,NVDA=-0.2",
            "PAPERTAPE_FEED_VOLATILITY", "0.25,NVDA=0.6",
            "PAPERTAPE_FEED_RATE", "50",
            "PAPERTAPE_FEED_SIZE_MIN", "10",
            "PAPERTAPE_FEED_SIZE_MAX", "500",
            "PAPERTAPE_FEED_SIZE_MEDIAN", "50",
            "PAPERTAPE_FEED_SIZE_SIGMA", "0.5",
            "PAPERTAPE_FEED_TICK_SIZE", "0.05",
            "PAPERTAPE_FEED_SEED", "12345",
            "PAPERTAPE_FEED_OUT_OF_ORDER_PROBABILITY", "0.1",
            "PAPERTAPE_FEED_OUT_OF_ORDER_MAX_DELAY", "500ms");

    assertThat(c.kafkaBootstrap()).isEqualTo("kafka:29092");
    assertThat(c.tradesTopic()).isEqualTo("ticks.v2");
    assertThat(c.tradesPartitions()).isEqualTo(8);
    assertThat(c.topicRetentionDays()).isEqualTo(30);
    assertThat(c.healthPort()).isZero();
    assertThat(c.bindAddress().isAnyLocalAddress()).isTrue();
    assertThat(c.describe()).containsEntry("PAPERTAPE_BIND_ADDRESS", "0.0.0.0");
    assertThat(c.seed()).isEqualTo(OptionalLong.of(12345));
    SimulatorConfig s = c.simulator();
    assertThat(s.symbols())
        .containsExactly(
            new SymbolSpec("AAPL", new BigDecimal("190"), 0.1, 0.25),
            new SymbolSpec("NVDA", new BigDecimal("120.5"), -0.2, 0.6));
    assertThat(s.ratePerSymbol()).isEqualTo(50);
    assertThat(s.sizes()).isEqualTo(new SizeDistribution(10, 500, 50, 0.5));
    assertThat(s.tickSize()).isEqualByComparingTo("0.05");
    assertThat(s.outOfOrder().probability()).isEqualTo(0.1);
    assertThat(s.outOfOrder().maxDelay()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aBareStartPriceAppliesToEverySymbolWithoutOne() {
    FeedConfig c =
        config("PAPERTAPE_FEED_SYMBOLS", "AAPL,XYZ", "PAPERTAPE_FEED_START_PRICES", "100");

    assertThat(c.simulator().symbols())
        .extracting(SymbolSpec::startPrice)
        .containsExactly(new BigDecimal("100"), new BigDecimal("100"));
  }

  @Test
  void theScenarioIsNoneUnlessDemoIsAskedFor() {
    assertThat(config().scenario()).isEqualTo(ScenarioName.NONE);
    assertThat(config().describeSimulator()).containsEntry("PAPERTAPE_FEED_SCENARIO", "none");
    FeedConfig demo = config("PAPERTAPE_FEED_SCENARIO", "Demo");
    assertThat(demo.scenario()).isEqualTo(ScenarioName.DEMO);
    assertThat(demo.describeSimulator()).containsEntry("PAPERTAPE_FEED_SCENARIO", "demo");
    assertThat(demo.simulator()).isEqualTo(SimulatorConfig.DEFAULT);

    assertThatThrownBy(() -> config("PAPERTAPE_FEED_SCENARIO", "crash"))
        .isInstanceOf(Settings.InvalidSettingException.class)
        .hasMessageContaining("PAPERTAPE_FEED_SCENARIO='crash'")
        .hasMessageContaining("none, demo");
    assertThatThrownBy(
            () ->
                config(
                    "PAPERTAPE_FEED_SCENARIO", "demo",
                    "PAPERTAPE_FEED_SYMBOLS", "AAPL,MSFT"))
        .isInstanceOf(Settings.InvalidSettingException.class)
        .hasMessageContaining("PAPERTAPE_FEED_SCENARIO='demo'")
        .hasMessageContaining(
            "TSLA among the simulated symbols (PAPERTAPE_FEED_SYMBOLS=AAPL,MSFT)");
  }

  @Test
  void aSymbolWithoutAStartPriceIsAnError() {
    assertThatThrownBy(() -> config("PAPERTAPE_FEED_SYMBOLS", "AAPL,NVDA"))
        .isInstanceOf(Settings.InvalidSettingException.class)
        .hasMessageContaining("PAPERTAPE_FEED_START_PRICES")
        .hasMessageContaining("add NVDA=<price>");
  }

  @Test
  void badValuesNameTheVariableAndWhatIsAccepted() {
    assertThatThrownBy(() -> config("PAPERTAPE_FEED_RATE", "fast"))
        .hasMessageContaining("PAPERTAPE_FEED_RATE='fast'")
        .hasMessageContaining("a number in");
    assertThatThrownBy(() -> config("PAPERTAPE_FEED_RATE", "0"))
        .hasMessageContaining("PAPERTAPE_FEED_RATE");
    assertThatThrownBy(() -> config("PAPERTAPE_FEED_VOLATILITY", "0.3,TSLA=high"))
        .hasMessageContaining("PAPERTAPE_FEED_VOLATILITY")
        .hasMessageContaining("'high' is not a number");
    assertThatThrownBy(() -> config("PAPERTAPE_FEED_VOLATILITY", "0.3,0.4"))
        .hasMessageContaining("more than one bare value");
    assertThatThrownBy(() -> config("PAPERTAPE_FEED_START_PRICES", "AAPL=-5"))
        .hasMessageContaining("PAPERTAPE_FEED_START_PRICES")
        .hasMessageContaining("must be greater than 0");
    assertThatThrownBy(() -> config("PAPERTAPE_FEED_SYMBOLS", "AAPL,AAPL"))
        .hasMessageContaining("PAPERTAPE_FEED_SYMBOLS")
        .hasMessageContaining("each listed once");
    assertThatThrownBy(
            () -> config("PAPERTAPE_FEED_SIZE_MIN", "100", "PAPERTAPE_FEED_SIZE_MAX", "10"))
        .hasMessageContaining("PAPERTAPE_FEED_SIZE_MAX");
    assertThatThrownBy(() -> config("PAPERTAPE_FEED_TICK_SIZE", "0"))
        .hasMessageContaining("PAPERTAPE_FEED_TICK_SIZE");
    assertThatThrownBy(() -> config("PAPERTAPE_FEED_SEED", "-1"))
        .hasMessageContaining("PAPERTAPE_FEED_SEED");
    assertThatThrownBy(() -> config("PAPERTAPE_FEED_OUT_OF_ORDER_PROBABILITY", "1.5"))
        .hasMessageContaining("PAPERTAPE_FEED_OUT_OF_ORDER_PROBABILITY");
    assertThatThrownBy(() -> config("PAPERTAPE_FEED_OUT_OF_ORDER_MAX_DELAY", "soon"))
        .hasMessageContaining("PAPERTAPE_FEED_OUT_OF_ORDER_MAX_DELAY");
    assertThatThrownBy(() -> config("PAPERTAPE_BIND_ADDRESS", "localhost"))
        .hasMessageContaining("PAPERTAPE_BIND_ADDRESS='localhost'")
        .hasMessageContaining("an IP address");
    assertThatThrownBy(() -> config("PAPERTAPE_FEED_PORT", "70000"))
        .hasMessageContaining("PAPERTAPE_FEED_PORT");
    assertThatThrownBy(() -> config("PAPERTAPE_TRADES_TOPIC", "my topic"))
        .hasMessageContaining("PAPERTAPE_TRADES_TOPIC");
  }
}
