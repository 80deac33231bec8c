"""Registration: the form, the confirmed place, the waiting lists, the private link."""
