package dev.papertape.backtest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.papertape.ledger.Fill;
import dev.papertape.ledger.Position;
import dev.papertape.ledger.performance.Performance;
import dev.papertape.model.Signal;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A backtest's report: one JSON object ({@code --json}; the same members in the same order for
 * every run, {@code null} where a statistic is not defined) or the same as text.
 */
public final class BacktestReport {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

  private BacktestReport() {}

  /** The report as a JSON object. */
  public static ObjectNode json(Backtest.Result r) {
    BacktestRequest req = r.request();
    FillSimulator.Result f = r.fills();
    Performance.Stats st = r.stats();
    ObjectNode root = NODES.objectNode();

    ObjectNode input = root.putObject("input");
    input.put("file", req.file().path().toString());
    input.put("format", req.file().format().name().toLowerCase(Locale.ROOT));
    input.put(
        "barInterval",
        req.file().barInterval() == null ? null : req.file().barInterval().toString());
    input.put("from", text(req.file().from()));
    input.put("to", text(req.file().to()));
    input.put("firstTrade", text(f.firstTrade()));
    input.put("lastTrade", text(f.lastTrade()));
    input.put("tradesInFile", req.file().trades());
    input.put("tradesRead", f.trades());
    input.put("rejected", r.job().rejected());
    input.put("lateTrades", r.job().late());

    ObjectNode strategy = root.putObject("strategy");
    strategy.put("name", req.strategy());
    strategy.put("id", req.id());
    ObjectNode params = strategy.putObject("params");
    r.canonicalParams().forEach(params::put);
    if (req.symbols().isEmpty()) {
      strategy.put("symbols", "all");
    } else {
      ArrayNode symbols = strategy.putArray("symbols");
      req.symbols().forEach(symbols::add);
    }
    strategy.put("window", r.job().window().label());

    ObjectNode model = root.putObject("execution");
    model.put("fillModel", r.environment().fill().describe());
    model.put("allowShort", r.environment().allowShort());
    model.put("sizing", req.sizing().toString());
    model.put("fills", "market order at the first trade of the symbol with ts >= the signal's ts");

    root.put("windows", r.job().windows());
    ObjectNode signals = root.putObject("signals");
    long buys = r.job().signals().stream().filter(s -> s.side() == Signal.Side.BUY).count();
    long sells = r.job().signals().stream().filter(s -> s.side() == Signal.Side.SELL).count();
    signals.put("total", r.job().signals().size());
    signals.put("buy", buys);
    signals.put("sell", sells);

    ObjectNode orders = root.putObject("orders");
    orders.put("filled", f.fills().size());
    orders.put("refused", f.refused().size());
    Map<String, Integer> byReason = new TreeMap<>();
    f.refused().forEach(x -> byReason.merge(x.reason(), 1, Integer::sum));
    ObjectNode reasons = orders.putObject("refusedByReason");
    byReason.forEach(reasons::put);
    orders.put("unfilled", f.unfilled().size());

    root.put("commission", f.commissions());
    root.put("startCash", f.startCash());
    root.put("cash", f.cash());
    root.put("finalValue", f.finalValue());
    ArrayNode positions = root.putArray("positions");
    for (Position p : f.positions().values()) {
      ObjectNode n = positions.addObject();
      n.put("symbol", p.symbol());
      n.put("quantity", p.quantity());
      n.put("avgCost", p.avgCost());
    }
    root.put("totalReturn", st.totalReturn());
    root.put("annualizedReturn", st.annualizedReturn());
    ObjectNode dd = root.putObject("maxDrawdown");
    dd.put("fraction", st.maxDrawdown().fraction());
    dd.put("peakAt", text(st.maxDrawdown().peakAt()));
    dd.put("troughAt", text(st.maxDrawdown().troughAt()));
    root.put("roundTrips", st.roundTrips());
    root.put("winRate", st.winRate());
    root.put("profitFactor", st.profitFactor());
    root.put("sharpe", st.sharpe());
    root.put("sortino", st.sortino());
    root.put("exposure", st.exposure());
    ObjectNode eq = root.putObject("equityPoints");
    eq.put("count", f.valuations().size());
    eq.put(
        "at",
        "the start of the first trade's "
            + r.job().window().label()
            + " window, then the end of every "
            + r.job().window().label()
            + " window in which something traded");

    ObjectNode bh = root.putObject("buyAndHold");
    ArrayNode bhSymbols = bh.putArray("symbols");
    f.buyAndHold().symbols().forEach(bhSymbols::add);
    bh.put("finalValue", f.buyAndHold().finalValue());
    bh.put("totalReturn", f.buyAndHold().totalReturn());

    ArrayNode fills = root.putArray("fills");
    for (FillSimulator.SimFill sf : f.fills()) {
      Fill x = sf.fill();
      ObjectNode n = fills.addObject();
      n.put("signalId", sf.signal().id().toString());
      n.put("signalTs", text(sf.signal().ts()));
      n.put("symbol", x.symbol());
      n.put("side", x.side().name());
      n.put("tradeTs", text(sf.tradeTs()));
      n.put("tradeId", sf.tradeId());
      n.put("quantity", x.quantity());
      n.put("marketPrice", x.marketPrice());
      n.put("price", x.price());
      n.put("gross", x.gross());
      n.put("commission", x.commission());
      n.put("realizedPnl", x.realizedPnl());
      n.put("positionAfter", x.positionAfter());
      n.put("cashAfter", x.cashAfter());
    }
    ArrayNode refused = root.putArray("refused");
    for (FillSimulator.Refusal rf : f.refused()) {
      ObjectNode n = refused.addObject();
      n.put("signalId", rf.signal().id().toString());
      n.put("signalTs", text(rf.signal().ts()));
      n.put("symbol", rf.signal().symbol());
      n.put("side", rf.signal().side().name());
      n.put("reason", rf.reason());
      n.put("detail", rf.detail());
    }
    return root;
  }

  /** The JSON report as text. */
  public static String jsonText(Backtest.Result r) throws Exception {
    return JSON.writeValueAsString(json(r)) + System.lineSeparator();
  }

  /** The report for people. */
  public static String text(Backtest.Result r) {
    JsonNode j = json(r);
    StringBuilder b = new StringBuilder();
    JsonNode in = j.get("input");
    JsonNode s = j.get("strategy");
    line(b, "Papertape backtest", "");
    line(
        b,
        "  input",
        in.get("file").asText()
            + " ("
            + in.get("format").asText()
            + (in.get("barInterval").isNull() ? "" : ", bars of " + in.get("barInterval").asText())
            + ")");
    line(
        b,
        "  period",
        or(in.get("firstTrade"), "-")
            + " .. "
            + or(in.get("lastTrade"), "-")
            + (in.get("from").isNull() && in.get("to").isNull()
                ? ""
                : " (--from "
                    + or(in.get("from"), "start")
                    + " --to "
                    + or(in.get("to"), "end")
                    + ")"));
    line(
        b,
        "  trades",
        in.get("tradesRead").asLong()
            + " read of "
            + in.get("tradesInFile").asLong()
            + " in the file; "
            + in.get("rejected").asLong()
            + " rejected (duplicates, invalid), "
            + in.get("lateTrades").asLong()
            + " late");
    line(
        b,
        "  strategy",
        s.get("name").asText()
            + " id="
            + s.get("id").asText()
            + " "
            + s.get("params").toString()
            + " symbols="
            + s.get("symbols").toString());
    line(
        b,
        "  execution",
        j.get("execution").get("fillModel").asText()
            + "; sizing "
            + j.get("execution").get("sizing").asText()
            + (j.get("execution").get("allowShort").asBoolean() ? "; short selling on" : ""));
    line(b, "  windows", s.get("window").asText() + ": " + j.get("windows").asLong());
    JsonNode sig = j.get("signals");
    line(
        b,
        "  signals",
        sig.get("total").asLong()
            + " (BUY "
            + sig.get("buy").asLong()
            + ", SELL "
            + sig.get("sell").asLong()
            + ")");
    JsonNode o = j.get("orders");
    line(
        b,
        "  orders",
        o.get("filled").asLong()
            + " filled, "
            + o.get("refused").asLong()
            + " refused "
            + o.get("refusedByReason").toString()
            + ", "
            + o.get("unfilled").asLong()
            + " unfilled (no later trade)");
    line(b, "  commission paid", plain(j.get("commission")));
    line(b, "  start cash", plain(j.get("startCash")));
    line(b, "  final value", plain(j.get("finalValue")) + " (cash " + plain(j.get("cash")) + ")");
    line(b, "  total return", percent(j.get("totalReturn")));
    JsonNode dd = j.get("maxDrawdown");
    line(
        b,
        "  max drawdown",
        percent(dd.get("fraction"))
            + (dd.get("peakAt").isNull()
                ? ""
                : " (peak "
                    + dd.get("peakAt").asText()
                    + ", trough "
                    + dd.get("troughAt").asText()
                    + ")"));
    line(
        b,
        "  round trips",
        j.get("roundTrips").asLong() + ", win rate " + percent(j.get("winRate")));
    line(
        b,
        "  sharpe",
        plain(j.get("sharpe"))
            + " (equity points: "
            + j.get("equityPoints").get("count").asLong()
            + ", "
            + j.get("equityPoints").get("at").asText()
            + ")");
    JsonNode bh = j.get("buyAndHold");
    line(
        b,
        "  buy and hold",
        plain(bh.get("finalValue"))
            + " ("
            + percent(bh.get("totalReturn"))
            + ") of "
            + bh.get("symbols").toString());
    line(
        b,
        "  took",
        String.format(
            Locale.ROOT,
            "%.1f s (%.0f trades/s)",
            r.elapsed().toMillis() / 1000.0,
            r.fills().trades() * 1000.0 / Math.max(1, r.elapsed().toMillis())));
    return b.toString();
  }

  private static void line(StringBuilder b, String label, String value) {
    if (value.isEmpty()) {
      b.append(label).append(System.lineSeparator());
    } else {
      b.append(String.format(Locale.ROOT, "%-18s: %s%n", label, value));
    }
  }

  private static String or(JsonNode n, String fallback) {
    return n == null || n.isNull() ? fallback : n.asText();
  }

  private static String plain(JsonNode n) {
    return n == null || n.isNull() ? "n/a" : n.decimalValue().toPlainString();
  }

  private static String percent(JsonNode n) {
    if (n == null || n.isNull()) {
      return "n/a";
    }
    return n.decimalValue().movePointRight(2).stripTrailingZeros().toPlainString() + " %";
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
