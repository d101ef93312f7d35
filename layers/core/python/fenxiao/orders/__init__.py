"""Orders: placement, the order state machine, stock reservation, cancellation and closing."""
