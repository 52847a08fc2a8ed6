"""The words people read: Vietnamese for the library's codes and messages, and the fix for each failure.

- :mod:`.messages`: Vietnamese wording of errors and proof-row reasons;
- :mod:`.explain`: one sentence with the fix for each failure of the machine a user can meet.
"""
