"""Personal data: notices, consent records, subject access export, erasure, retention purge."""
