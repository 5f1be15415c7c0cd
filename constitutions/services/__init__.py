"""State changes of the constitutions domain: one function per action, one transaction each."""
