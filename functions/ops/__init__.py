"""Operations one-shots, invoked by hand after a deploy (never on a trigger)."""
