package dev.papertape.feed.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.papertape.feed.FeedStatus;
import dev.papertape.ops.HealthServer;

/**
 * The feed's health: UP while it produces without a fatal error (and DONE after a finished replay),
 * with the body {@code {"status":"UP","mode":"simulate","produced":N,"lastError":null}}.
 */
public final class FeedHealth {
  private FeedHealth() {}

  public static HealthServer.Health of(FeedStatus status) {
    return new HealthServer.Health(status.healthy(), body(status));
  }

  /** The JSON body for a status. */
  static byte[] body(FeedStatus status) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("status", status.state().name());
    o.put("mode", status.mode());
    o.put("produced", status.produced());
    o.put("lastError", status.lastError());
    return HealthServer.json(o);
  }
}
