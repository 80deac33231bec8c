"""Sections that the apps above the public site add to an edition's home page (what the last
edition's meetings led to, from the project exchange). The site imports none of them: each
registers a function at start-up, which returns the section's template and context for an
edition, or None to add nothing."""

HOME_SECTIONS = []


def home_section(function):
    HOME_SECTIONS.append(function)
    return function


def home_sections(edition):
    """[{"template": ..., ...}] of the sections registered for this edition's home page."""
    found = (section(edition) for section in HOME_SECTIONS)
    return [section for section in found if section]
