"""The portal: citizens' pages and the Open311 API, over read models built from the platform's events."""
