package dev.papertape.flink.io;

import dev.papertape.model.DeadLetter;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The writer of {@link JdbcUpsertSink}: one connection, one batch, on the task thread. */
final class JdbcUpsertWriter<T> implements SinkWriter<T> {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcUpsertWriter.class);
  private static final long FIRST_BACKOFF_MS = 250;
  private static final long MAX_BACKOFF_MS = 10_000;

  private final JdbcSinks.Connection db;
  private final RowStatement<T> statement;
  private final DeadLetterChannel deadLetters;
  private final JdbcUpsertSink.Options options;
  private final ProcessingTimeService time;
  private final List<T> batch = new ArrayList<>();
  private final Counter rejected;
  private final Counter retries;
  private final RateLimitedLog warnings = new RateLimitedLog(LOG, Duration.ofSeconds(10));
  private Connection connection;
  private boolean timerSet;
  private volatile boolean closed;

  JdbcUpsertWriter(
      JdbcSinks.Connection db,
      RowStatement<T> statement,
      DeadLetterChannel deadLetters,
      JdbcUpsertSink.Options options,
      WriterInitContext context) {
    this.db = db;
    this.statement = statement;
    this.deadLetters = deadLetters;
    this.options = options;
    this.time = context.getProcessingTimeService();
    this.rejected = context.metricGroup().counter("rowsRejected");
    this.retries = context.metricGroup().counter("writeRetries");
  }

  @Override
  public void write(T row, Context context) throws IOException, InterruptedException {
    batch.add(row);
    if (batch.size() >= options.batchSize()) {
      flush(false);
    } else if (!timerSet) {
      timerSet = true;
      time.registerTimer(
          time.getCurrentProcessingTime() + options.batchInterval().toMillis(),
          now -> {
            timerSet = false;
            if (!closed) {
              flush(false);
            }
          });
    }
  }

  @Override
  public void flush(boolean endOfInput) throws IOException, InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + options.retryFor().toNanos();
    long backoff = FIRST_BACKOFF_MS;
    while (true) {
      try {
        writeBatch();
        break;
      } catch (SQLException e) {
        closeConnection();
        if (!isTransient(e)) {
          throw new IOException(
              "the database refused to write "
                  + statement.table()
                  + " (SQLState "
                  + e.getSQLState()
                  + "): "
                  + e.getMessage()
                  + "; is the schema migrated (start the API once) and PAPERTAPE_DB_* right?",
              e);
        }
        if (System.nanoTime() - deadline > 0) {
          throw new IOException(
              "the database stayed unreachable for "
                  + options.retryFor()
                  + " while writing "
                  + statement.table()
                  + " (PAPERTAPE_DB_RETRY_FOR): "
                  + e.getMessage(),
              e);
        }
        retries.inc();
        warnings.warn(
            "cannot write {} rows to {} ({}: {}); retrying in {} ms",
            batch.size(),
            statement.table(),
            e.getSQLState(),
            e.getMessage(),
            backoff);
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
    deadLetters.flush();
    batch.clear();
  }

  /** Writes the batch in one transaction; on a data error, row by row, refusals to the DLQ. */
  private void writeBatch() throws SQLException, IOException {
    Connection c = connection();
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement(statement.sql())) {
      for (T row : batch) {
        statement.binder().bind(ps, row);
        ps.addBatch();
      }
      ps.executeBatch();
      c.commit();
      return;
    } catch (SQLException e) {
      rollback(c);
      if (!isDataError(e)) {
        throw e;
      }
    }
    // some row holds what the database refuses: find it, write the others
    c.setAutoCommit(true);
    try (PreparedStatement ps = c.prepareStatement(statement.sql())) {
      for (T row : batch) {
        try {
          statement.binder().bind(ps, row);
          ps.executeUpdate();
        } catch (SQLException e) {
          if (!isDataError(e)) {
            throw e;
          }
          refuse(row, e);
        }
      }
    }
  }

  private void refuse(T row, SQLException e) throws IOException {
    rejected.inc();
    String reason =
        "the database refused the row (SQLState " + e.getSQLState() + "): " + e.getMessage();
    warnings.warn(
        "refused row for {} sent to the dead-letter topic: {}", statement.table(), reason);
    deadLetters.send(
        DeadLetter.of(
            statement.table(),
            -1,
            -1,
            statement.key().apply(row),
            statement.encoder().apply(row),
            DeadLetter.STORE,
            reason,
            Instant.now()));
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      Properties p = new Properties();
      p.setProperty("user", db.user());
      p.setProperty("password", db.password());
      p.setProperty("connectTimeout", "10");
      p.setProperty("socketTimeout", "300");
      p.setProperty("tcpKeepAlive", "true");
      connection =
          DriverManager.getConnection(JdbcSinks.url(db.url(), statement.rewriteBatches()), p);
    }
    return connection;
  }

  private static void rollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      LOG.debug("rollback failed (the connection is reopened on the next write): {}", e.toString());
    }
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("closing a failed connection: {}", e.toString());
      }
      connection = null;
    }
  }

  /** SQLState class 22 (data exception) or 23 (integrity constraint violation). */
  static boolean isDataError(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      String state = s.getSQLState();
      if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
        return true;
      }
    }
    return false;
  }

  /** A failure that waiting can cure: connection (08), resources (53), shutdown (57), 40xxx. */
  static boolean isTransient(SQLException e) {
    if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
      return true;
    }
    for (SQLException s = e; s != null; s = s.getNextException()) {
      String state = s.getSQLState();
      if (state != null
          && (state.startsWith("08")
              || state.startsWith("53")
              || state.startsWith("57")
              || state.startsWith("40"))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    closed = true;
    closeConnection();
    deadLetters.close();
  }
}
