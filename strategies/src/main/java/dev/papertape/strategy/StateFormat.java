package dev.papertape.strategy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The binary layout of strategy state: {@code [version byte = 1][fingerprint: modified UTF-8 with a
 * 2-byte length][fields]}, big-endian, written and read field by field in a fixed order by each
 * strategy. Decimals are {@code [scale: int][unscaled: 1-byte length, two's-complement bytes]},
 * instants {@code [present: byte][epoch second: long][nano: int]}, lists {@code [count:
 * int][items]}.
 *
 * <p>Reading is bounded: a list holds at most {@value #MAX_ITEMS} items, an unscaled value at most
 * {@value #MAX_UNSCALED_BYTES} bytes, and the bytes must be read exactly to the end; anything else
 * is a {@link StateFormatException}.
 */
final class StateFormat {
  /** The layout version this code writes and reads. */
  static final byte VERSION = 1;

  /** Longest list a state may hold (the largest lookback parameter is far below). */
  static final int MAX_ITEMS = 100_000;

  static final int MAX_UNSCALED_BYTES = 64;

  private StateFormat() {}

  /** {@code true} when {@code bytes} start with this layout version and {@code fingerprint}. */
  static boolean hasFingerprint(byte[] bytes, String fingerprint) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
      return in.readByte() == VERSION && in.readUTF().equals(fingerprint);
    } catch (IOException e) {
      return false; // too short or not modified UTF-8: not this instance's state
    }
  }

  /** Writes one state. */
  static final class Writer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    private final DataOutputStream out = new DataOutputStream(bytes);

    Writer(String fingerprint) {
      try {
        out.writeByte(VERSION);
        out.writeUTF(fingerprint);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
      }
    }

    Writer writeLong(long v) {
      try {
        out.writeLong(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Writer writeByte(int v) {
      try {
        out.writeByte(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Writer writeInt(int v) {
      try {
        out.writeInt(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** A decimal, or {@code null}. */
    Writer writeDecimal(BigDecimal v) {
      if (v == null) {
        return writeByte(0);
      }
      byte[] unscaled = v.unscaledValue().toByteArray();
      if (unscaled.length > MAX_UNSCALED_BYTES) {
        throw new IllegalStateException("decimal too large for strategy state: " + v);
      }
      writeByte(1).writeInt(v.scale()).writeByte(unscaled.length);
      try {
        out.write(unscaled);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Writer writeInstant(Instant v) {
      if (v == null) {
        return writeByte(0);
      }
      return writeByte(1).writeLong(v.getEpochSecond()).writeInt(v.getNano());
    }

    Writer writeDecimals(List<BigDecimal> values) {
      writeInt(values.size());
      values.forEach(this::writeDecimal);
      return this;
    }

    Writer writeLongs(List<Long> values) {
      writeInt(values.size());
      values.forEach(this::writeLong);
      return this;
    }

    byte[] toBytes() {
      return bytes.toByteArray();
    }
  }

  /** Reads one state written by {@link Writer}. */
  static final class Reader {
    private final DataInputStream in;
    private final String what;

    /**
     * @param what the instance, for messages
     * @throws StateFormatException unless the bytes start with {@link #VERSION} and {@code
     *     fingerprint}
     */
    Reader(byte[] bytes, String fingerprint, String what) {
      this.what = what;
      if (bytes == null) {
        throw new StateFormatException(what + ": no state bytes");
      }
      this.in = new DataInputStream(new ByteArrayInputStream(bytes));
      byte version = readByte();
      if (version != VERSION) {
        throw new StateFormatException(
            what + ": state layout version " + version + ", this code reads " + VERSION);
      }
      String found;
      try {
        found = in.readUTF();
      } catch (IOException e) {
        throw damaged(e);
      }
      if (!found.equals(fingerprint)) {
        throw new StateFormatException(
            what + ": state of '" + cut(found) + "', expected '" + cut(fingerprint) + "'");
      }
    }

    private static String cut(String s) {
      return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }

    private StateFormatException damaged(IOException e) {
      return new StateFormatException(
          what + ": damaged state (" + (e instanceof EOFException ? "truncated" : e) + ")", e);
    }

    byte readByte() {
      try {
        return in.readByte();
      } catch (IOException e) {
        throw damaged(e);
      }
    }

    int readInt() {
      try {
        return in.readInt();
      } catch (IOException e) {
        throw damaged(e);
      }
    }

    long readLong() {
      try {
        return in.readLong();
      } catch (IOException e) {
        throw damaged(e);
      }
    }

    private boolean present() {
      byte flag = readByte();
      if (flag != 0 && flag != 1) {
        throw new StateFormatException(what + ": damaged state (presence flag " + flag + ")");
      }
      return flag == 1;
    }

    BigDecimal readDecimal() {
      if (!present()) {
        return null;
      }
      int scale = readInt();
      int length = readByte();
      if (length < 1 || length > MAX_UNSCALED_BYTES) {
        throw new StateFormatException(what + ": damaged state (decimal of " + length + " bytes)");
      }
      byte[] unscaled = new byte[length];
      try {
        in.readFully(unscaled);
      } catch (IOException e) {
        throw damaged(e);
      }
      return new BigDecimal(new BigInteger(unscaled), scale);
    }

    /** A decimal that must be present. */
    BigDecimal requireDecimal() {
      BigDecimal d = readDecimal();
      if (d == null) {
        throw new StateFormatException(what + ": damaged state (missing decimal)");
      }
      return d;
    }

    Instant readInstant() {
      if (!present()) {
        return null;
      }
      long seconds = readLong();
      int nanos = readInt();
      try {
        return Instant.ofEpochSecond(seconds, nanos);
      } catch (DateTimeException | ArithmeticException e) {
        throw new StateFormatException(what + ": damaged state (instant)", e);
      }
    }

    private int count() {
      int n = readInt();
      if (n < 0 || n > MAX_ITEMS) {
        throw new StateFormatException(what + ": damaged state (list of " + n + " items)");
      }
      return n;
    }

    List<BigDecimal> readDecimals() {
      int n = count();
      List<BigDecimal> out = new ArrayList<>(Math.min(n, 1024));
      for (int i = 0; i < n; i++) {
        out.add(requireDecimal());
      }
      return Collections.unmodifiableList(out);
    }

    List<Long> readLongs() {
      int n = count();
      List<Long> out = new ArrayList<>(Math.min(n, 1024));
      for (int i = 0; i < n; i++) {
        out.add(readLong());
      }
      return Collections.unmodifiableList(out);
    }

    /**
     * Checks that everything was read.
     *
     * @throws StateFormatException when bytes are left over
     */
    void end() {
      try {
        if (in.available() > 0) {
          throw new StateFormatException(
              what + ": damaged state (" + in.available() + " bytes left over)");
        }
      } catch (IOException e) {
        throw damaged(e);
      }
    }
  }
}
