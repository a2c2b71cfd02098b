package dev.papertape.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.papertape.config.Settings;
import dev.papertape.config.Settings.InvalidSettingException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BindAddressTest {
  private static final HealthServer.Health UP =
      new HealthServer.Health(true, HealthServer.json(Map.of("status", "UP")));

  @Test
  void theDefaultIsLoopbackOnly() {
    InetAddress a = BindAddress.from(new Settings(Map.of()));

    assertThat(a.getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(a.isLoopbackAddress()).isTrue();
  }

  @Test
  void ipLiteralsAreAccepted() {
    assertThat(BindAddress.parse("0.0.0.0").isAnyLocalAddress()).isTrue();
    assertThat(BindAddress.parse(" 10.1.2.3 ").getHostAddress()).isEqualTo("10.1.2.3");
    assertThat(BindAddress.parse("::").isAnyLocalAddress()).isTrue();
    assertThat(BindAddress.parse("::1").isLoopbackAddress()).isTrue();
    assertThat(BindAddress.from(new Settings(Map.of(BindAddress.SETTING, "0.0.0.0"))))
        .isEqualTo(BindAddress.parse("0.0.0.0"));
  }

  @Test
  void hostNamesAndMalformedAddressesAreRejectedWithoutALookup() {
    for (String bad :
        new String[] {
          "localhost",
          "example.com",
          "256.0.0.1",
          "1.2.3",
          "01.2.3.4",
          "1.2.3.4.5",
          "::g",
          ":::1:::",
          "127.0.0.1:80",
          "*"
        }) {
      assertThatThrownBy(() -> BindAddress.parse(bad))
          .as(bad)
          .isInstanceOf(InvalidSettingException.class)
          .hasMessageStartingWith("setting PAPERTAPE_BIND_ADDRESS='" + bad + "' is invalid")
          .hasMessageContaining("0.0.0.0 (every interface)");
    }
  }

  @Test
  void theHealthServerListensOnLoopbackByDefault() throws Exception {
    try (HealthServer server = HealthServer.start(0, () -> UP)) {
      assertThat(server.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
      assertThat(status("127.0.0.1", server.port())).isEqualTo(200);
    }
  }

  @Test
  void theHealthServerListensOnTheGivenAddress() throws Exception {
    try (HealthServer server = HealthServer.start(BindAddress.parse("0.0.0.0"), 0, () -> UP)) {
      assertThat(server.address().getAddress().isAnyLocalAddress()).isTrue();
      assertThat(status("127.0.0.1", server.port())).isEqualTo(200);
    }
  }

  private static int status(String host, int port) throws Exception {
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://" + host + ":" + port + "/healthz").toURL().openConnection();
    try {
      return c.getResponseCode();
    } finally {
      c.disconnect();
    }
  }
}
