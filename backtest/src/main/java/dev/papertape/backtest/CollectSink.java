package dev.papertape.backtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink for a backtest's embedded cluster, in this JVM: it keeps what it receives ({@link
 * #keeping}) or only counts it ({@link #counting}). The sink is serialised into the job, so its
 * writers find their target through an id in a static registry; {@link #release} frees it.
 */
public final class CollectSink<T> implements Sink<T> {
  private static final long serialVersionUID = 1L;
  private static final Map<String, List<Object>> KEPT = new ConcurrentHashMap<>();
  private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();

  private final String id = UUID.randomUUID().toString();
  private final boolean keep;

  private CollectSink(boolean keep) {
    this.keep = keep;
    COUNTS.put(id, new AtomicLong());
    if (keep) {
      KEPT.put(id, new CopyOnWriteArrayList<>());
    }
  }

  /** Keeps every element (and counts them). */
  public static <T> CollectSink<T> keeping() {
    return new CollectSink<>(true);
  }

  /** Only counts the elements. */
  public static <T> CollectSink<T> counting() {
    return new CollectSink<>(false);
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    List<Object> into = keep ? KEPT.get(id) : null;
    AtomicLong count = COUNTS.get(id);
    return new SinkWriter<>() {
      @Override
      public void write(T element, Context ctx) {
        count.incrementAndGet();
        if (into != null) {
          into.add(element);
        }
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }

  /** What was kept, in arrival order. */
  @SuppressWarnings("unchecked")
  public List<T> values() {
    List<Object> kept = KEPT.get(id);
    return kept == null ? List.of() : new ArrayList<>((List<T>) kept);
  }

  public long count() {
    AtomicLong c = COUNTS.get(id);
    return c == null ? 0 : c.get();
  }

  /** Frees the registry entries (after the values were read). */
  public void release() {
    KEPT.remove(id);
    COUNTS.remove(id);
  }
}
