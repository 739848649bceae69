"""Pure domain logic: periods, facilities, forms and their rules. No Qt, no database."""
