"""The scale data set and its measurements (``make bench-scale``); see bench/README.md."""
