"""Networking: profiles, cooperation posts, meeting requests and the meeting scheduler."""
