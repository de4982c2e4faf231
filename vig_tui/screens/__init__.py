"""One module per screen: each gathers answers, calls the store or the domain, shows results."""
