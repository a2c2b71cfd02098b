package dev.papertape.ops;

import dev.papertape.config.Settings;
import dev.papertape.config.Settings.InvalidSettingException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * {@code PAPERTAPE_BIND_ADDRESS}: the one address every Papertape listener binds to. The default,
 * {@code 127.0.0.1}, keeps every port on this machine; {@code 0.0.0.0} opens them on every
 * interface. The value is an IP literal, never a host name, so reading it never does a DNS lookup
 * and always means exactly one address.
 */
public final class BindAddress {
  /** The environment variable. */
  public static final String SETTING = "PAPERTAPE_BIND_ADDRESS";

  /** The default: this machine only. */
  public static final String DEFAULT = "127.0.0.1";

  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
  // the shape of an IPv6 literal (InetAddress checks the rest without any lookup)
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f.]{0,39}:[0-9A-Fa-f:.]{1,44}");
  private static final String ACCEPTED =
      "an IP address: 127.0.0.1 (this machine only, the default), 0.0.0.0 (every interface) or"
          + " one of this machine's addresses";

  private BindAddress() {}

  /** The address of {@link #SETTING}, {@link #DEFAULT} when unset. */
  public static InetAddress from(Settings settings) {
    return parse(settings.string(SETTING, DEFAULT));
  }

  /**
   * An IP literal as an address.
   *
   * @throws InvalidSettingException naming {@link #SETTING} when the value is not an IP literal
   */
  public static InetAddress parse(String value) {
    String v = value.strip();
    if (!IPV4.matcher(v).matches() && !IPV6.matcher(v).matches()) {
      throw new InvalidSettingException(SETTING, value, ACCEPTED);
    }
    try {
      // a literal of the shapes above is parsed, not resolved
      return InetAddress.getByName(v);
    } catch (UnknownHostException e) {
      throw new InvalidSettingException(SETTING, value, ACCEPTED + " (" + e.getMessage() + ")");
    }
  }

  /** The loopback address {@code 127.0.0.1}. */
  public static InetAddress loopback() {
    return parse(DEFAULT);
  }
}
