"""The small-numbers rule of the open data: no single gift can be inferred.

A money figure (residents' money and the funds' matches, which follow the gifts) behind
fewer than :data:`MIN_DONORS` distinct donors is withheld from its row and published only
as part of one combined row. When the combined rows themselves come from fewer than
:data:`MIN_DONORS` donors, the published row with the fewest donors joins them, so that
subtracting the published rows from the total (which the pages show) reveals no gift
either. Rows without donors have nothing to hide and stay published.
"""

MIN_DONORS = 3


def withheld(donors_by_key):
    """The keys whose money figures are withheld, from ``{key: distinct donors}``."""
    small = {key for key, donors in donors_by_key.items() if 0 < donors < MIN_DONORS}
    combined = sum(donors_by_key[key] for key in small)
    if 0 < combined < MIN_DONORS:
        others = sorted(
            (donors, str(key), key) for key, donors in donors_by_key.items() if donors >= MIN_DONORS
        )
        if others:
            small.add(others[0][2])
    return small
