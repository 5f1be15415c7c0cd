"""What every app shares: the base domain error, hashing and pseudonyms. Imports no app."""
