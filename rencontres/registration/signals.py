"""What other apps may react to: sent inside the transaction that made the change, with the
edition locked, so that receivers' writes commit or roll back with it."""

from django.dispatch import Signal

# A registration stopped holding a place (cancelled); kwargs: registration, actor.
registration_cancelled = Signal()

# A registration became confirmed (its address proven, approved, given a place...); kwargs:
# registration, actor.
registration_confirmed = Signal()
