"""State changes of the deliberation domain: one function per action, one transaction each."""
