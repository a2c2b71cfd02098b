package dev.papertape.flink.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink that keeps what it receives in memory, for graph tests on a MiniCluster in this JVM. The
 * sink is serialised into the job, so its writers find their list through an id in a static
 * registry; {@link #values} reads it back.
 */
public final class CollectingSink<T> implements Sink<T> {
  private static final long serialVersionUID = 1L;
  private static final Map<String, List<Object>> RECEIVED = new ConcurrentHashMap<>();

  private final String id = UUID.randomUUID().toString();

  public CollectingSink() {
    RECEIVED.put(id, new CopyOnWriteArrayList<>());
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    List<Object> into = RECEIVED.get(id);
    return new SinkWriter<>() {
      @Override
      public void write(T element, Context ctx) {
        into.add(element);
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }

  /** Everything received so far, in arrival order. */
  @SuppressWarnings("unchecked")
  public List<T> values() {
    return new ArrayList<>((List<T>) RECEIVED.get(id));
  }
}
