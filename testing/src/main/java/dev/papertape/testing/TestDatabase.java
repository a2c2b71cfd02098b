package dev.papertape.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;

/**
 * The real TimescaleDB that {@code ./papertape test} starts for the suite (its own cluster on port
 * 55432 by default, never the user's data). Connection settings come from the system properties
 * {@code papertape.test.jdbc.url/user/password} (set by the build). The schema is the project's own
 * Flyway migrations, applied once per JVM.
 */
public final class TestDatabase {
  public static final String URL =
      System.getProperty(
          "papertape.test.jdbc.url", "jdbc:postgresql://127.0.0.1:55432/papertape_test");
  public static final String USER = System.getProperty("papertape.test.jdbc.user", "papertape");
  public static final String PASSWORD =
      System.getProperty("papertape.test.jdbc.password", "papertape");

  private static boolean migrated;

  private TestDatabase() {}

  /** Applies the migrations (once per JVM) and returns the JDBC URL. */
  public static synchronized String migrated() {
    if (!migrated) {
      try {
        Flyway.configure()
            .dataSource(URL, USER, PASSWORD)
            .locations("classpath:db/migration")
            .load()
            .migrate();
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "cannot migrate the test database at "
                + URL
                + ": run the suite with ./papertape test, which starts it",
            e);
      }
      migrated = true;
    }
    return URL;
  }

  /**
   * Stops the test database server (PostgreSQL's fast shutdown: every connection is closed and new
   * ones are refused), a real outage, through {@code ./papertape test-db stop} (the system property
   * {@code papertape.test.db.ctl}, set by {@code ./papertape test}).
   */
  public static void stopServer() {
    serverCtl("stop");
  }

  /** Starts the test database server again after {@link #stopServer()}. */
  public static void startServer() {
    serverCtl("start");
  }

  private static void serverCtl(String action) {
    String ctl = System.getProperty("papertape.test.db.ctl", "");
    if (ctl.isBlank()) {
      throw new IllegalStateException(
          "papertape.test.db.ctl is not set: run the outage tests with ./papertape test");
    }
    try {
      Process p = new ProcessBuilder(ctl, "test-db", action).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(ctl + " test-db " + action + " failed:\n" + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: test-db " + action, e);
    }
  }

  public static Connection connect() throws SQLException {
    migrated();
    return DriverManager.getConnection(URL, USER, PASSWORD);
  }

  /** Runs statements (DDL, inserts, deletes). */
  public static void execute(String... sql) {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("SQL failed: " + String.join("; ", sql), e);
    }
  }

  /** Rows of a query as column-name → value maps, in result order. */
  public static List<Map<String, Object>> query(String sql, Object... args) {
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        List<Map<String, Object>> rows = new ArrayList<>();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            row.put(md.getColumnLabel(i), rs.getObject(i));
          }
          rows.add(row);
        }
        return rows;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + sql, e);
    }
  }
}
