"""Tools around the app, never imported by it: demo data, the screen gallery, the benchmark."""
