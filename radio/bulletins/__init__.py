"""Bulletins and their life: draft → approved (frozen) → withdrawn, and what an approval binds.

- :mod:`.lifecycle`: adding, editing, approving, returning, withdrawing; the content hash;
- :mod:`.approval`: what a leader's approval binds (text, spoken form, audio) and the check before air;
- :mod:`.importing`: a draft made from a .docx or .txt file, the same through the admin and the CLI;
- :mod:`.recordings`: a human reading as a bulletin's audio;
- :mod:`.topics`: topic codes and their Vietnamese labels.
"""
