"""Rencontres: the platform of the AICT Meetings."""
