"""Editions, their venue, programme, speakers and pages: the public site."""
