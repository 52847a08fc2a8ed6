"""The words people read: Vietnamese for the library's codes and messages, and the fix for each failure.

- :mod:`.reasons`: proof-row reasons as codes with parameters, said in English and Vietnamese;
- :mod:`.messages`: Vietnamese wording of errors, and of proof-row reasons written before codes;
- :mod:`.explain`: one sentence with the fix for each failure of the machine a user can meet.
"""
