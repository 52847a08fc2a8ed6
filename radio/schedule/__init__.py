"""When things air: slots, the running order, outputs, emergencies and requests to the daemon.

- :mod:`.slots`: broadcast slots and the instants they expand to (local time, Asia/Ho_Chi_Minh);
- :mod:`.plan`: the running order, which approved bulletins fill which upcoming occurrence;
- :mod:`.outputs`: named outputs (sound card, PulseAudio sink, Icecast, file), set by the admin only;
- :mod:`.emergency`: a leader's words on air within seconds;
- :mod:`.commands`: requests left for the daemon by the admin or the CLI (the admin never plays sound);
- :mod:`.slot_guard`: slot edits that stop a slot airing are the leader's.
"""
