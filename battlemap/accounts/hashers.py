"""Argon2id with the parameters OWASP recommends (19 MiB, 2 passes, 1 lane).

Django's defaults (100 MiB, 8 lanes) take over half a second per hash on the two-core
server a county runs on: a login would queue behind another, and creating a township's
village accounts from Excel would take a minute. These take a tenth of that and remain
memory-hard. Hashes keep their parameters, so older ones still verify and are
re-hashed with these at the next login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class BattlemapArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19456  # KiB
    parallelism = 1
