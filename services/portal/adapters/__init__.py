"""The portal's adapters: event readings, its store, the bus it sends commands on, and the web."""
