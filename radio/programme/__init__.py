"""What a slot airs, as sound: intro jingle, station ident, bulletins, outro.

- :mod:`.assembly`: building a programme ahead of air from audio already rendered;
- :mod:`.parts`: the ident and jingles the station installs, with the sha256 recorded then;
- :mod:`.jingles`: the station's own jingles or the shipped chimes.

The sound work itself (loudness, gaps, checks) is :mod:`audio`.
"""
