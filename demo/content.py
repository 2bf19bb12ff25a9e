"""Demo content, written from the background documents (De Bruisplaats in Gouda and friends)."""

from datetime import timedelta

HOME = {
    "title": "Begin bij wat de wijk al heeft",
    "slug": "wijkkapitaal",
    "intro": "Bewoners met een idee voor hun buurt vinden hier geld, handen, "
    "ruimte en materiaal bij buren, ondernemers en fondsen.",
}

HOME_EN = {
    "title": "Start from what the neighbourhood already has",
    "intro": "Residents with an idea for their neighbourhood find money, helping hands, "
    "space and materials here, from neighbours, local businesses and funds.",
}

CITY = {
    "title": "Gouda",
    "slug": "gouda",
    "intro": "Een stad vol mensen met ideeën, ruimtes en handen die willen helpen.",
}

NEIGHBOURHOODS = [
    {
        "title": "Binnenstad",
        "slug": "binnenstad",
        "intro": "Oude straten, nieuwe verbindingen.",
        "vision": "<p>Een binnenstad waar bewoners, ondernemers en bezoekers elkaar "
        "ontmoeten en samen plannen maken.</p>",
        "themes": [
            ("Ontmoeten", "Plekken waar Gouwenaars elkaar tegenkomen."),
            ("Ondernemen", "Lokale zaken die meedoen met de wijk."),
        ],
    },
    {
        "title": "Korte Akkeren",
        "slug": "korte-akkeren",
        "intro": "Een wijk met veel eigen kracht en korte lijnen.",
        "vision": "<p>We beginnen bij wat de wijk al heeft: bewoners met talent, "
        "een buurthuis en een woningcorporatie die meedenkt.</p>",
        "themes": [
            ("Schoon, heel en veilig", "Snelle successen die iedereen ziet."),
            ("Groen", "Geveltuinen en een moestuin voor de hele buurt."),
            ("Jong en oud", "Activiteiten die generaties verbinden."),
        ],
    },
    {
        "title": "Goverwelle",
        "slug": "goverwelle",
        "intro": "Jonge gezinnen, ruime groenstroken en veel plannen.",
        "vision": "<p>Goverwelle bouwt aan een buurt waar je samen repareert, speelt en kookt.</p>",
        "themes": [
            ("Delen en repareren", "Spullen langer gebruiken, samen."),
            ("Spelen", "Plekken waar kinderen buiten zijn."),
        ],
    },
]

ORGANISATIONS = [
    {
        "slug": "bakkerij-de-goudse-korst",
        "name": "Bakkerij De Goudse Korst",
        "kind": "business",
        "kvk_number": "27123456",
        "address": "Lange Tiendeweg 12, Gouda",
        "neighbourhood": "binnenstad",
        "description": "Ambachtelijke bakker die de ruimte achter de winkel beschikbaar stelt.",
    },
    {
        "slug": "woningcorporatie-thuis-in-gouda",
        "name": "Woningcorporatie Thuis in Gouda",
        "kind": "housing_corporation",
        "kvk_number": "24987654",
        "address": "Burgemeester Jamessingel 2, Gouda",
        "neighbourhood": "korte-akkeren",
        "description": "Verhuurt woningen in Korte Akkeren en investeert mee in bewonersplannen.",
    },
    {
        "slug": "gemeente-gouda",
        "name": "Gemeente Gouda",
        "kind": "municipality",
        "kvk_number": "",
        "address": "Burgemeester Jamessingel 1, Gouda",
        "neighbourhood": "binnenstad",
        "description": "De gemeente legt via het Gouds Wijkfonds geld bij op bewonersinitiatieven.",
    },
    {
        "slug": "buurthuis-de-speelwei",
        "name": "Buurthuis De Speelwei",
        "kind": "association",
        "kvk_number": "40312233",
        "address": "Van Bergen IJzendoornpark 1, Gouda",
        "neighbourhood": "korte-akkeren",
        "description": "Het buurthuis: zalen, een keuken en een grote tuin voor de wijk.",
    },
]

# Co-funding: Voor je Buurt's province matched €1 for €1 up to €5,000 per initiative.
PROGRAMMES = [
    {
        "slug": "gouds-wijkfonds",
        "organisation": "gemeente-gouda",
        "name": "Gouds Wijkfonds",
        "description": "De gemeente Gouda verdubbelt elke gift aan een Gouds bewonersinitiatief: "
        "€ 1 bij elke € 1, tot € 5.000 per initiatief.",
        "budget_cents": 25_000_00,
        "match_numerator": 1,
        "match_denominator": 1,
        "cap_per_initiative_cents": 5_000_00,
        "join_mode": "automatic",
        "places": ["gouda"],
        "categories": [],
        "priority": 10,
    },
    {
        "slug": "groen-en-spelen-thuis-in-gouda",
        "organisation": "woningcorporatie-thuis-in-gouda",
        "name": "Groen en spelen met Thuis in Gouda",
        "description": "De woningcorporatie legt € 0,50 bij op elke euro voor groen- en "
        "speelplekken bij onze woningen, tot € 1.000 per initiatief. Vraag aan vanuit je "
        "initiatief.",
        "budget_cents": 10_000_00,
        "match_numerator": 1,
        "match_denominator": 2,
        "cap_per_initiative_cents": 1_000_00,
        "join_mode": "application",
        "places": [],
        "categories": ["green", "play"],
        "priority": 20,
    },
]

# A live initiative both programmes match: it applies to the corporation's programme (the
# municipality's joins by itself) and gets a few donations paid through the services.
MATCHED_INITIATIVE = "speeltuin-de-wip"
MATCHED_DONATIONS = [25_00, 40_00, 15_00]

RESIDENTS = [
    ("anouk@example.nl", "Anouk de Vries"),
    ("mehmet@example.nl", "Mehmet Yilmaz"),
    ("sanne@example.nl", "Sanne Bakker"),
    ("joost@example.nl", "Joost van Dijk"),
    ("fatima@example.nl", "Fatima El Amrani"),
    ("pieter@example.nl", "Pieter Jansen"),
    ("lotte@example.nl", "Lotte Visser"),
    ("ricardo@example.nl", "Ricardo Martens"),
    ("ingrid@example.nl", "Ingrid Smit"),
    ("youssef@example.nl", "Youssef Bouzid"),
    ("marieke@example.nl", "Marieke de Boer"),
    ("kees@example.nl", "Kees Mulder"),
]

STORY = {
    "bruisplaats": [
        "De Bruisplaats is een ontmoetingsplek waar Gouwenaars samenwerken aan initiatieven "
        "om Gouda leuker, mooier en meer verbonden te maken.",
        "We knappen een leeg pand op met hulp van de buurt: schilderen, meubels maken "
        "en een keuken inrichten. Lokale ondernemers leveren materiaal en kennis.",
    ],
}


def initiatives(today):
    """The demo initiatives; ``state`` is the campaign status each one should end in."""
    return [
        {
            "slug": "de-bruisplaats",
            "title": "De Bruisplaats",
            "neighbourhood": "binnenstad",
            "initiator": "anouk@example.nl",
            "summary": "Een ontmoetingsplek in de binnenstad waar bewoners samen plannen "
            "maken voor een leuker, mooier en meer verbonden Gouda.",
            "story": STORY["bruisplaats"],
            "category": "meeting_place",
            "location": "Lange Tiendeweg, Gouda",
            "deadline": today - timedelta(days=20),
            "funding_model": "all_or_nothing",
            "budget": [
                ("Verf en materiaal", 1_200_00),
                ("Keuken en koffiemachine", 1_100_00),
                ("Meubels van gebruikt hout", 700_00),
            ],
            "state": "succeeded",
            "raised_cents": 3_555_00,
            "donors": 85,
            "tasks_done": 12,
            "colour": (233, 120, 60),
        },
        {
            "slug": "repair-cafe-goverwelle",
            "title": "Repair Café Goverwelle",
            "neighbourhood": "goverwelle",
            "initiator": "mehmet@example.nl",
            "summary": "Elke maand samen kapotte spullen repareren in plaats van weggooien.",
            "story": [
                "In Goverwelle wonen handige mensen: fietsenmakers, naaisters en elektriciens. "
                "Met een Repair Café brengen we hun kennis bij elkaar.",
                "We zoeken gereedschap, een vaste ruimte en vrijwilligers voor de koffie.",
            ],
            "category": "repair",
            "location": "Buurthuis Goverwelle",
            "deadline": today + timedelta(days=24),
            "funding_model": "all_or_nothing",
            "budget": [
                ("Gereedschapskoffers", 650_00),
                ("Soldeerstation en meters", 350_00),
                ("Koffie en thee voor een jaar", 200_00),
            ],
            "state": "live",
            "raised_cents": 780_00,
            "donors": 19,
            "tasks_done": 1,
            "colour": (40, 130, 110),
        },
        {
            "slug": "geveltuinen-korte-akkeren",
            "title": "Geveltuinen in Korte Akkeren",
            "neighbourhood": "korte-akkeren",
            "initiator": "sanne@example.nl",
            "summary": "Twintig geveltuinen die de straat groener en gezelliger maken.",
            "story": [
                "Samen met de woningcorporatie halen we tegels weg en planten we klimrozen, "
                "lavendel en kruiden.",
                "Buren adopteren elk een tuintje. Zo wordt de straat van ons allemaal.",
            ],
            "category": "green",
            "location": "Graaf Florisweg, Gouda",
            "deadline": today + timedelta(days=40),
            "funding_model": "all_or_nothing",
            "budget": [("Planten en aarde", 900_00), ("Tegelwipper-dag: gereedschap", 300_00)],
            "state": "live",
            "raised_cents": 410_00,
            "donors": 11,
            "tasks_done": 0,
            "colour": (90, 160, 70),
        },
        {
            "slug": "speeltuin-de-wip",
            "title": "Speeltuin De Wip weer open",
            "neighbourhood": "goverwelle",
            "initiator": "joost@example.nl",
            "summary": "Ouders en kinderen knappen de speeltuin op: nieuwe zandbak, "
            "geverfde toestellen en een bankje voor opa en oma.",
            "story": ["De speeltuin is al twee jaar dicht. Wij willen hem dit voorjaar weer open."],
            "category": "play",
            "location": "Goverwelle-Oost",
            "deadline": today + timedelta(days=12),
            "funding_model": "keep_what_you_raise",
            "budget": [("Zand en randen", 800_00), ("Verf", 250_00), ("Bankje", 450_00)],
            "state": "live",
            "raised_cents": 1_620_00,
            "donors": 37,
            "tasks_done": 2,
            "colour": (240, 180, 40),
        },
        {
            "slug": "buurtkeuken-de-speelwei",
            "title": "Buurtkeuken in De Speelwei",
            "neighbourhood": "korte-akkeren",
            "initiator": "fatima@example.nl",
            "summary": "Elke donderdag samen koken en eten voor vijf euro.",
            "story": ["Koken verbindt. Wie wil, kookt mee; wie wil, schuift aan."],
            "category": "food",
            "location": "Buurthuis De Speelwei",
            "deadline": today + timedelta(days=60),
            "funding_model": "all_or_nothing",
            "budget": [("Pannen en servies", 600_00), ("Eerste boodschappen", 400_00)],
            "state": "draft",
            "colour": (200, 80, 110),
        },
        {
            "slug": "minibieb-binnenstad",
            "title": "Minibieb op het pleintje",
            "neighbourhood": "binnenstad",
            "initiator": "pieter@example.nl",
            "summary": "Een kastje met boeken: neem er een, breng er een.",
            "story": ["Een oude kast wordt een minibibliotheek voor de hele straat."],
            "category": "culture",
            "location": "Achter de Vismarkt",
            "deadline": today + timedelta(days=30),
            "funding_model": "all_or_nothing",
            "budget": [("Kast en glas", 250_00), ("Dakje en verf", 100_00)],
            "state": "in_review",
            "colour": (110, 90, 180),
        },
        {
            "slug": "muurschildering-tunnel",
            "title": "Muurschildering in de fietstunnel",
            "neighbourhood": "korte-akkeren",
            "initiator": "lotte@example.nl",
            "summary": "Jongeren uit de wijk maken de fietstunnel licht en kleurrijk.",
            "story": ["Een donkere tunnel wordt een kunstwerk, gemaakt door de buurt."],
            "category": "clean_safe",
            "location": "Fietstunnel Ridder van Catsweg",
            "deadline": today - timedelta(days=10),
            "funding_model": "all_or_nothing",
            "budget": [("Verf en spuitbussen", 1_500_00), ("Steigerhuur", 1_000_00)],
            "state": "failed",
            "raised_cents": 640_00,
            "donors": 14,
            "tasks_done": 0,
            "colour": (60, 90, 160),
        },
        {
            "slug": "buurtmoestuin-oosterwei",
            "title": "Buurtmoestuin Oosterwei",
            "neighbourhood": "goverwelle",
            "initiator": "ricardo@example.nl",
            "summary": "Twaalf bakken groente, een composthoop en elke zaterdag oogsten.",
            "story": ["De moestuin is er! Dank aan iedereen die meebouwde en doneerde."],
            "category": "green",
            "location": "Oosterwei, Gouda",
            "deadline": today - timedelta(days=120),
            "funding_model": "all_or_nothing",
            "budget": [("Moestuinbakken", 1_400_00), ("Zaden en compost", 400_00)],
            "state": "realised",
            "raised_cents": 2_050_00,
            "donors": 48,
            "tasks_done": 4,
            "colour": (120, 170, 60),
        },
        {
            "slug": "bankjes-voor-de-wijk",
            "title": "Bankjes voor de wijk",
            "neighbourhood": "binnenstad",
            "initiator": "ingrid@example.nl",
            "summary": "Vijf bankjes op plekken waar ouderen even willen uitrusten.",
            "story": ["Wie slecht ter been is, heeft af en toe een plek nodig om te zitten."],
            "category": "care",
            "location": "Binnenstad",
            "deadline": today - timedelta(days=5),
            "funding_model": "keep_what_you_raise",
            "budget": [("Vijf bankjes", 2_000_00)],
            "state": "succeeded",
            "raised_cents": 1_380_00,
            "donors": 30,
            "tasks_done": 1,
            "colour": (150, 110, 70),
        },
        {
            "slug": CLOSES_DURING_DEMO,
            "title": "Lampionnenoptocht Korte Akkeren",
            "neighbourhood": "korte-akkeren",
            "initiator": "kees@example.nl",
            "summary": "Kinderen maken lampionnen in het buurthuis en lopen samen door de wijk.",
            "story": ["Een avond vol licht: eerst knutselen, dan een optocht met muziek."],
            "category": "culture",
            "location": "Buurthuis De Speelwei",
            "deadline": today - timedelta(days=1),
            "funding_model": "all_or_nothing",
            "budget": [
                ("Papier, lampjes en stokken", 300_00),
                ("Muziek en warme chocomel", 150_00),
            ],
            "state": "live",
            "raised_cents": 480_00,
            "donors": 6,
            "tasks_done": 0,
            "colour": (230, 150, 40),
        },
    ]


# Live, with its deadline already past: the first run of the deadline job after
# `make demo` starts (demo/scheduler.py, about a minute) closes it, and mails its donors.
CLOSES_DURING_DEMO = "lampionnenoptocht-korte-akkeren"


# (kind, title, people or quantity needed, estimated hours[, unit of a quantity])
TASK_TEMPLATES = [
    ("hands", "Muren schilderen", 3, 4),
    ("hands", "Opruimen en schoonmaken", 4, 3),
    ("skill", "Elektra aanleggen", 1, 6),
    ("material", "Muurverf", 20, None, "liter"),
    ("space", "Opslagruimte voor materiaal", 1, None),
    ("hands", "Meubels in elkaar zetten", 2, 4),
    ("skill", "Logo en flyer ontwerpen", 1, 5),
    ("hands", "Koffie schenken bij de opening", 2, 3),
    ("material", "Gebruikt steigerhout", 10, None, "planken"),
    ("hands", "Planten in de tuin zetten", 3, 2),
    ("skill", "Website bijhouden", 1, 8),
    ("hands", "Opening organiseren", 2, 6),
]

# The register of what Binnenstad has, from residents and an organisation (the bakery's
# admin lists its space); the last one is paused by its owner.
REGISTER_ITEMS = [
    {
        "neighbourhood": "binnenstad",
        "owner": "kees@example.nl",
        "organisation": "bakkerij-de-goudse-korst",
        "kind": "space",
        "description": "De ruimte achter de bakkerij, met een lange tafel",
        "availability": "Maandag- en dinsdagavond",
        "estimated_value_cents": 75_00,
        "capacity": 25,
        "step_free": True,
        "accessible_toilet": True,
        "accessibility_notes": "Ingang zonder drempel via de Achter de Kerk.",
    },
    {
        "neighbourhood": "binnenstad",
        "owner": "marieke@example.nl",
        "kind": "material",
        "description": "Boormachine, schuurmachine en een trapladder om te lenen",
        "availability": "Ophalen in de Zeugstraat, na 18 uur",
        "estimated_value_cents": 40_00,
    },
    {
        "neighbourhood": "binnenstad",
        "owner": "youssef@example.nl",
        "kind": "skill",
        "description": "Hulp bij een begroting en een subsidieaanvraag",
        "availability": "Een paar uur per maand",
        "estimated_value_cents": 0,
    },
    {
        "neighbourhood": "binnenstad",
        "owner": "ingrid@example.nl",
        "kind": "space",
        "description": "Mijn tuin voor een kleine buurtbijeenkomst",
        "availability": "In de zomer",
        "capacity": 12,
        "paused": True,
    },
]
