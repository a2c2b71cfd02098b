package dev.papertape.flink.io;

import java.time.Duration;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * An at-least-once JDBC sink of idempotent upserts that never loops on data: rows are written in
 * batches (flushed by size, by time and on every checkpoint); a row the database refuses for what
 * it holds (SQLState class 22 data exception or 23 integrity violation) goes to the {@link
 * DeadLetterChannel} with the reason while the rest of its batch is written; a transient failure
 * (connection lost, server shutting down, out of resources, serialization failure) is retried with
 * exponential back-off for up to {@code retryFor}, back-pressuring the job meanwhile. Any other
 * failure (a missing table, bad credentials) fails the task with the database's message.
 *
 * <p>Replaces Flink's JDBC connector, whose sink fails the whole batch and the job on one refused
 * row.
 */
public final class JdbcUpsertSink<T> implements Sink<T> {
  private static final long serialVersionUID = 1L;

  private final JdbcSinks.Connection db;
  private final RowStatement<T> statement;
  private final DeadLetterChannel.Factory deadLetters;
  private final Options options;

  /**
   * Batching and retry.
   *
   * @param batchSize rows per batch
   * @param batchInterval longest a row waits in a partial batch
   * @param retryFor how long transient failures are retried before the task fails
   */
  public record Options(int batchSize, Duration batchInterval, Duration retryFor)
      implements java.io.Serializable {}

  public JdbcUpsertSink(
      JdbcSinks.Connection db,
      RowStatement<T> statement,
      DeadLetterChannel.Factory deadLetters,
      Options options) {
    this.db = db;
    this.statement = statement;
    this.deadLetters = deadLetters;
    this.options = options;
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    return new JdbcUpsertWriter<>(db, statement, deadLetters.open(), options, context);
  }
}
