package dev.papertape.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every thread's stack (WARN) when a test fails with a timeout, then rethrows: a test that
 * hangs on a loaded CI machine leaves the state it hung in, not only "Timeout on blocking read".
 * Use with {@code @ExtendWith(ThreadDumpOnFailure.class)}.
 */
public final class ThreadDumpOnFailure implements TestExecutionExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ThreadDumpOnFailure.class);

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    if (isTimeout(throwable)) {
      StringBuilder out =
          new StringBuilder("=== thread dump after the timeout of ")
              .append(context.getDisplayName())
              .append(" ===\n");
      for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
        out.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState());
        if (t.getLockName() != null) {
          out.append(" on ").append(t.getLockName());
        }
        if (t.getLockOwnerName() != null) {
          out.append(" owned by \"").append(t.getLockOwnerName()).append('"');
        }
        out.append('\n');
        for (StackTraceElement e : t.getStackTrace()) {
          out.append("\tat ").append(e).append('\n');
        }
      }
      log.warn(out.toString());
    }
    throw throwable;
  }

  private static boolean isTimeout(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.util.concurrent.TimeoutException
          || String.valueOf(c.getMessage()).contains("Timeout on blocking read")) {
        return true;
      }
    }
    return false;
  }
}
