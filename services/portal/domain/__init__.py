"""The portal's model: read-model records of opinions, their public views, Open311 and the limits."""
