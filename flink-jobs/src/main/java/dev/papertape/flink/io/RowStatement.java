package dev.papertape.flink.io;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.apache.flink.util.function.SerializableFunction;

/**
 * How rows of one type are written: the SQL, how a row binds to it, and how a row the database
 * refuses is shown in its dead letter (its contract JSON and its key).
 *
 * @param table the table written, named in dead letters
 * @param sql an idempotent statement (an upsert on the natural key)
 * @param binder sets the statement's parameters from a row
 * @param encoder the row as bytes for its dead letter (the contract's JSON)
 * @param key the row's Kafka-style key for its dead letter (the symbol)
 * @param rewriteBatches whether the driver may rewrite a batch into multi-row statements (only for
 *     {@code DO NOTHING} statements, see {@link JdbcSinks#url})
 */
public record RowStatement<T>(
    String table,
    String sql,
    Binder<T> binder,
    SerializableFunction<T, byte[]> encoder,
    SerializableFunction<T, String> key,
    boolean rewriteBatches)
    implements Serializable {

  /** Binds one row to the statement's parameters. */
  @FunctionalInterface
  public interface Binder<T> extends Serializable {
    void bind(PreparedStatement ps, T row) throws SQLException;
  }
}
