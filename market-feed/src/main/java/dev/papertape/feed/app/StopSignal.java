package dev.papertape.feed.app;

import dev.papertape.feed.Sleeper;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A one-way stop request (SIGTERM, a test) that also ends any pacing wait at once. */
public final class StopSignal implements Sleeper {
  private final CountDownLatch stopped = new CountDownLatch(1);

  public void stop() {
    stopped.countDown();
  }

  public boolean isStopped() {
    return stopped.getCount() == 0;
  }

  @Override
  public boolean sleepNanos(long nanos) {
    if (nanos <= 0) {
      return !isStopped();
    }
    try {
      return !stopped.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
      return false;
    }
  }
}
