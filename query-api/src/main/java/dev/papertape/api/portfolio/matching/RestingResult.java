package dev.papertape.api.portfolio.matching;

import dev.papertape.api.portfolio.OrderStatus;
import java.util.UUID;

/**
 * What one trade did to one resting order, after its transaction committed.
 *
 * @param filled shares filled by this trade (0: only triggered, or canceled by a rule)
 * @param status the order's status afterwards
 * @param reason why it was canceled (insufficient-cash, insufficient-position, short-limit), or
 *     null
 */
public record RestingResult(UUID orderId, long filled, OrderStatus status, String reason) {}
