package dev.papertape.api.portfolio;

import dev.papertape.api.problem.Problems;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * The portfolio's problem types (RFC 9457), each with a stable {@code type} URI. A refused request
 * stores nothing.
 */
public final class PortfolioProblems {
  private static final String BASE = "https://papertape.dev/problems/";

  /** The user has no portfolio yet (404): {@code POST /portfolio/init} first. */
  public static final URI NO_PORTFOLIO = URI.create(BASE + "no-portfolio");

  /**
   * The latest trade price is older than {@code PAPERTAPE_MAX_PRICE_AGE}, or there is none (409).
   */
  public static final URI STALE_PRICE = URI.create(BASE + "stale-price");

  /** The fill would cost more cash than the portfolio has, commission included (422). */
  public static final URI INSUFFICIENT_CASH = URI.create(BASE + "insufficient-cash");

  /** Selling more than is held while short selling is off (422). */
  public static final URI INSUFFICIENT_POSITION = URI.create(BASE + "insufficient-position");

  /** A short sale beyond the short limit (422): short exposure at cost ≤ starting cash. */
  public static final URI SHORT_LIMIT = URI.create(BASE + "short-limit-exceeded");

  /** The Idempotency-Key was used before with another request body (422). */
  public static final URI IDEMPOTENCY_KEY_REUSED = URI.create(BASE + "idempotency-key-reused");

  /** No such order of this user (404); another user's order is not found either. */
  public static final URI ORDER_NOT_FOUND = URI.create(BASE + "order-not-found");

  /** The order no longer rests (filled, canceled, rejected or expired) (409). */
  public static final URI ORDER_NOT_CANCELABLE = URI.create(BASE + "order-not-cancelable");

  private PortfolioProblems() {}

  static ErrorResponseException noPortfolio() {
    return Problems.problem(
        HttpStatus.NOT_FOUND,
        NO_PORTFOLIO,
        "No portfolio",
        "You have no portfolio yet; POST /portfolio/init creates one.");
  }

  static ErrorResponseException stalePrice(String detail) {
    return Problems.problem(HttpStatus.CONFLICT, STALE_PRICE, "Stale price", detail);
  }

  static ErrorResponseException unprocessable(URI type, String title, String detail) {
    return Problems.problem(HttpStatus.UNPROCESSABLE_CONTENT, type, title, detail);
  }

  static ErrorResponseException idempotencyKeyReused(String key) {
    return unprocessable(
        IDEMPOTENCY_KEY_REUSED,
        "Idempotency key reused",
        "The Idempotency-Key '"
            + key
            + "' was used before with another request body; use a new key for a new order.");
  }

  static ErrorResponseException orderNotFound(String id) {
    return Problems.problem(
        HttpStatus.NOT_FOUND, ORDER_NOT_FOUND, "Order not found", "You have no order " + id + ".");
  }

  static ErrorResponseException orderNotCancelable(String id, OrderStatus status) {
    return Problems.problem(
        HttpStatus.CONFLICT,
        ORDER_NOT_CANCELABLE,
        "Order not cancelable",
        "Order "
            + id
            + " is "
            + status
            + "; only ACCEPTED or PARTIALLY_FILLED orders can be canceled.");
  }
}
