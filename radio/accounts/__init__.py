"""Who may do what, and who did: roles, accounts, logging in, sessions, API tokens, the audit trail.

- :mod:`.roles`: roles and the actions they allow (:func:`~radio.accounts.roles.require`), the one check
  the CLI, the admin and the API all go through;
- :mod:`.users`, :mod:`.passwords`: accounts and the password policy;
- :mod:`.logins`, :mod:`.sessions`, :mod:`.tokens`: logging in (rate limited), admin sessions, API tokens;
- :mod:`.audit`: the append-only trail of every change a person made.
"""

from radio.accounts.roles import Actor, PermissionDeniedError, require

__all__ = ["Actor", "PermissionDeniedError", "require"]
