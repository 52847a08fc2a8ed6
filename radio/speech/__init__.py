"""Speech: approved text becomes cached audio long before air time.

- :mod:`.rendering`: render-ahead of approved bulletins, claimed row by row, healed when damaged;
- :mod:`.lexicon`: the station's own pronunciations; :mod:`.restale`: approved speech a lexicon
  change would read differently goes back to the leader;
- :mod:`.preview`: what a draft will sound like, and the text a bulletin's speech is made from;
- :mod:`.cache`: who may fill the speech cache with previews, how fast, how big it may grow.

The text work itself (normalisation, engines) is :mod:`content`, which knows nothing of the station.
"""
