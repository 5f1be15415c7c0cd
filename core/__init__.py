"""What every app shares: the base domain error, text cleaning, hashing and pseudonyms. Imports no
app."""
