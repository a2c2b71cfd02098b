package dev.papertape.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: usage errors exit 2 with a message that says what is wrong; a run exits 0. */
class BacktestCommandTest {
  @TempDir Path dir;
  Path csv;

  record Run(int code, String out, String err) {}

  @BeforeEach
  void file() throws Exception {
    csv = dir.resolve("t.csv");
    Files.writeString(
        csv,
        "symbol,price,size,ts\n"
            + "AAA,10,5,2026-01-05T14:30:10Z\n"
            + "AAA,11,5,2026-01-05T14:31:10Z\n"
            + "AAA,12,5,2026-01-05T14:32:10Z\n");
  }

  static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        BacktestCommand.run(
            args,
            env::get,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Run run(String... args) {
    return run(Map.of(), args);
  }

  @Test
  void anUnknownStrategyNamesTheAcceptedOnes() {
    Run r = run("--strategy", "rsi", "--csv", csv.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("'rsi' is not a strategy; accepted: ma-crossover, vwap-deviation")
        .contains("buy-and-hold");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aBadParameterIsNamedWithItsAcceptedRange() {
    Run r = run("--strategy", "vwap-deviation", "--param", "lookback=0", "--csv", csv.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("params.lookback").contains("from 1 to 1000");
    assertThat(
            run("--strategy", "vwap-deviation", "--param", "lookbak=3", "--csv", csv.toString())
                .err())
        .contains("lookbak")
        .contains("unknown parameter");
    assertThat(run("--strategy", "ma-crossover", "--param", "fast", "--csv", csv.toString()).err())
        .contains("--param 'fast' is not NAME=VALUE");
    assertThat(run("--strategy", "ma-crossover", "--window", "2m", "--csv", csv.toString()).code())
        .isEqualTo(2);
  }

  @Test
  void aMissingFileOrAnUnreadableLineStopsBeforeTheRun() throws Exception {
    Run missing = run("--strategy", "buy-and-hold", "--csv", dir.resolve("nope.csv").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.csv").contains("no such file");

    Path bad = dir.resolve("bad.csv");
    Files.writeString(
        bad,
        "symbol,price,size,ts\nAAA,10,5,2026-01-05T14:30:10Z\nAAA,ten,5,2026-01-05T14:31:10Z\n");
    Run unreadable = run("--strategy", "buy-and-hold", "--csv", bad.toString());
    assertThat(unreadable.code()).isEqualTo(2);
    assertThat(unreadable.err()).contains("bad.csv").contains("line 3").contains("price");
  }

  @Test
  void otherUsageErrors() {
    assertThat(run("--csv", csv.toString()).err()).contains("--strategy");
    assertThat(run("--strategy", "buy-and-hold", "--csv", csv.toString(), "--cash", "0").err())
        .contains("--cash must be from 1.00");
    assertThat(
            run("--strategy", "buy-and-hold", "--csv", csv.toString(), "--sizing", "lots:3").err())
        .contains("'lots' is not a sizing mode");
    assertThat(
            run("--strategy", "buy-and-hold", "--csv", csv.toString(), "--from", "yesterday").err())
        .contains("--from 'yesterday' is not a time");
    assertThat(run("--strategy", "buy-and-hold", "--csv", csv.toString(), "--format", "xml").err())
        .contains("accepted: trades, bars");
    Run env =
        run(
            Map.of("PAPERTAPE_SLIPPAGE_BPS", "5", "PAPERTAPE_SLIPPAGE_PER_SHARE", "0.01"),
            "--strategy",
            "buy-and-hold",
            "--csv",
            csv.toString());
    assertThat(env.code()).isEqualTo(2);
    assertThat(env.err()).contains("PAPERTAPE_SLIPPAGE_BPS and PAPERTAPE_SLIPPAGE_PER_SHARE");
  }

  @Test
  void aPeriodWithoutTradesIsAUsageError() {
    Run r = run("--strategy", "buy-and-hold", "--csv", csv.toString(), "--from", "2027-01-01");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no trade of").contains("nothing to backtest");
  }

  @Test
  void aRunPrintsOneJsonObject() throws Exception {
    Run r = run("--strategy", "buy-and-hold", "--csv", csv.toString(), "--cash", "1000", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("strategy").get("name").asText()).isEqualTo("buy-and-hold");
    assertThat(json.get("signals").get("total").asInt()).isEqualTo(1);
    assertThat(json.get("orders").get("filled").asInt()).isEqualTo(1);
    assertThat(json.fieldNames())
        .toIterable()
        .startsWith("input", "strategy", "execution", "windows", "signals", "orders");
  }
}
