"""The signed-in shopper's own profile, phone and addresses."""
