package dev.papertape.model;

/** What a codec does with a JSON field it does not know. */
public enum UnknownFields {
  /** Reject the record, naming the field (the default: typos are caught, not silently dropped). */
  REJECT,
  /** Ignore it (for producers that add fields ahead of consumers). */
  IGNORE;

  public static UnknownFields parse(String value) {
    for (UnknownFields u : values()) {
      if (u.name().equalsIgnoreCase(value == null ? "" : value.trim())) {
        return u;
      }
    }
    throw new IllegalArgumentException("'" + value + "' is not a policy; accepted: reject, ignore");
  }
}
