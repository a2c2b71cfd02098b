package dev.papertape.backtest;

import dev.papertape.feed.TradeSource;
import dev.papertape.feed.replay.ReplayFormat;
import dev.papertape.flink.io.ParsedRecord;
import dev.papertape.model.Trade;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceEnumerator;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceReader;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded Flink source of the trades of a {@link TradeFile}, as the metrics job's Kafka source
 * delivers them ({@link ParsedRecord#valid}): one split (the whole file, read by one reader in the
 * order of {@link TradeFile#open}), so the metrics job's graph sees the file exactly as a replay to
 * Kafka would put it on one partition. A split remembers how many trades it has handed out, so a
 * checkpoint restores to the same place (the backtest itself does not checkpoint). Flink's iterator
 * reader takes the first element of a split without asking, so the file must hold a trade in the
 * period ({@link Backtest#run} checks it first).
 */
public final class TradeFileSource
    implements Source<
        ParsedRecord, TradeFileSource.FileSplit, Collection<TradeFileSource.FileSplit>> {
  private static final long serialVersionUID = 1L;

  private final FileSplit split;

  public TradeFileSource(TradeFile file) {
    this.split =
        new FileSplit(
            file.path().toString(),
            file.format(),
            file.barInterval() == null ? 0 : file.barInterval().toMillis(),
            file.from() == null ? Long.MIN_VALUE : file.from().toEpochMilli(),
            file.to() == null ? Long.MAX_VALUE : file.to().toEpochMilli(),
            0);
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.BOUNDED;
  }

  @Override
  public SourceReader<ParsedRecord, FileSplit> createReader(SourceReaderContext ctx) {
    return new IteratorSourceReader<>(ctx);
  }

  @Override
  public SplitEnumerator<FileSplit, Collection<FileSplit>> createEnumerator(
      SplitEnumeratorContext<FileSplit> ctx) {
    return new IteratorSourceEnumerator<>(ctx, List.of(split));
  }

  @Override
  public SplitEnumerator<FileSplit, Collection<FileSplit>> restoreEnumerator(
      SplitEnumeratorContext<FileSplit> ctx, Collection<FileSplit> checkpoint) {
    return new IteratorSourceEnumerator<>(ctx, checkpoint);
  }

  @Override
  public SimpleVersionedSerializer<FileSplit> getSplitSerializer() {
    return new SplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<Collection<FileSplit>> getEnumeratorCheckpointSerializer() {
    return new CheckpointSerializer();
  }

  /**
   * The file and how many of its trades (in the period) were already handed out.
   *
   * @param barIntervalMillis the bar length (bars), 0 for trades
   */
  public record FileSplit(
      String path,
      ReplayFormat format,
      long barIntervalMillis,
      long fromMillis,
      long toMillis,
      long position)
      implements IteratorSourceSplit<ParsedRecord, Trades>, Serializable {

    TradeFile file() {
      return new TradeFile(
          Path.of(path),
          format,
          barIntervalMillis == 0 ? null : Duration.ofMillis(barIntervalMillis),
          fromMillis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(fromMillis),
          toMillis == Long.MAX_VALUE ? null : Instant.ofEpochMilli(toMillis),
          0);
    }

    @Override
    public String splitId() {
      return path;
    }

    @Override
    public Trades getIterator() {
      return new Trades(file().open(), position);
    }

    @Override
    public IteratorSourceSplit<ParsedRecord, Trades> getUpdatedSplitForIterator(Trades it) {
      return new FileSplit(path, format, barIntervalMillis, fromMillis, toMillis, it.position);
    }
  }

  /** The trades of a split from its position on; closes the file at its end. */
  public static final class Trades implements Iterator<ParsedRecord> {
    private final TradeSource source;
    private Trade next;
    private long position;

    Trades(TradeSource source, long skip) {
      this.source = source;
      for (long i = 0; i < skip && source.next() != null; i++) {
        position++;
      }
      advance();
    }

    private void advance() {
      next = source.next();
      if (next == null) {
        source.close();
      }
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public ParsedRecord next() {
      if (next == null) {
        throw new NoSuchElementException();
      }
      Trade t = next;
      position++;
      advance();
      return ParsedRecord.valid(t);
    }
  }

  static final class SplitSerializer implements SimpleVersionedSerializer<FileSplit> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(FileSplit s) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        write(s, out);
      }
      return bytes.toByteArray();
    }

    @Override
    public FileSplit deserialize(int version, byte[] serialized) throws IOException {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
        return read(in);
      }
    }

    static void write(FileSplit s, DataOutputStream out) throws IOException {
      out.writeUTF(s.path());
      out.writeUTF(s.format().name());
      out.writeLong(s.barIntervalMillis());
      out.writeLong(s.fromMillis());
      out.writeLong(s.toMillis());
      out.writeLong(s.position());
    }

    static FileSplit read(DataInputStream in) throws IOException {
      return new FileSplit(
          in.readUTF(),
          ReplayFormat.valueOf(in.readUTF()),
          in.readLong(),
          in.readLong(),
          in.readLong(),
          in.readLong());
    }
  }

  static final class CheckpointSerializer
      implements SimpleVersionedSerializer<Collection<FileSplit>> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(Collection<FileSplit> splits) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(splits.size());
        for (FileSplit s : splits) {
          SplitSerializer.write(s, out);
        }
      }
      return bytes.toByteArray();
    }

    @Override
    public Collection<FileSplit> deserialize(int version, byte[] serialized) throws IOException {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
        int n = in.readInt();
        List<FileSplit> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          out.add(SplitSerializer.read(in));
        }
        return out;
      }
    }
  }
}
