"""The pages people look for: how it works, questions and answers, about us, contact and
the organisations, each text in Dutch and English.

Every text is ``{"nl": ..., "en": ...}``; :func:`in_language` picks one language out of a
whole structure. The demo builds the Dutch pages; the English ones are their translations.
The texts describe the platform as built: donations through Stripe, all or nothing or keep
what you raise, tasks and offers, co-funding by funds, payouts and the account of spending.
"""


def in_language(value, language):
    """``value`` with every ``{"nl": ..., "en": ...}`` in it replaced by one language."""
    if isinstance(value, dict):
        if set(value) == {"nl", "en"}:
            return value[language]
        return {key: in_language(item, language) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(in_language(item, language) for item in value)
    return value


def _p(nl, en):
    return ("paragraph", {"nl": f"<p>{nl}</p>", "en": f"<p>{en}</p>"})


def _h(nl, en):
    return ("heading", {"nl": nl, "en": en})


def _qa(question_nl, question_en, answer_nl, answer_en):
    return {
        "question": {"nl": question_nl, "en": question_en},
        "answer": {"nl": f"<p>{answer_nl}</p>", "en": f"<p>{answer_en}</p>"},
    }


HOW_IT_WORKS = {
    "key": "how_it_works",
    "slug": {"nl": "hoe-het-werkt", "en": "how-it-works"},
    "title": {"nl": "Hoe het werkt", "en": "How it works"},
    "search_description": {
        "nl": "Zo werkt Wijkkapitaal voor initiatiefnemers, buren, ondernemers en fondsen: "
        "geld, handen, ruimte en materiaal voor plannen in je wijk.",
        "en": "How Wijkkapitaal works for initiators, neighbours, businesses and funds: "
        "money, hands, space and materials for plans in your neighbourhood.",
    },
    "body": [
        _p(
            "Wijkkapitaal begint bij wat de wijk al heeft: mensen met ideeën, buren met tijd, "
            "ondernemers met ruimte en materiaal, en fondsen die willen bijleggen. Op deze "
            "pagina lees je wat het platform voor jou doet.",
            "Wijkkapitaal starts from what a neighbourhood already has: people with ideas, "
            "neighbours with time, businesses with space and materials, and funds that want to "
            "add money. This page explains what the platform does for you.",
        ),
        _h("Voor initiatiefnemers", "For initiators"),
        _p(
            "Je beschrijft je plan: wat je wilt doen, in welke wijk, wat het kost (elke "
            "begrotingsregel telt op tot je doel) en wanneer de inzameling sluit. Je kiest "
            "'alles of niets' (haal je het doel niet, dan krijgt iedereen zijn gift terug) of "
            "'houden wat je ophaalt' (je krijgt wat er binnenkomt, ook onder het doel). Een "
            "moderator leest je plan en zet het online, of vraagt je eerst iets aan te passen.",
            "You describe your plan: what you want to do, in which neighbourhood, what it costs "
            "(the budget lines add up to your goal) and when fundraising closes. You choose "
            "'all or nothing' (if the goal is not met, everyone gets their donation back) or "
            "'keep what you raise' (you receive what comes in, even below the goal). A "
            "moderator reads your plan and publishes it, or asks you to change something first.",
        ),
        _p(
            "Naast geld vraag je om handen en spullen: taken voor vrijwilligers, een ruimte, "
            "materiaal of kennis. Je bevestigt wie geholpen heeft en hoeveel uur. Is het doel "
            "gehaald, dan vraag je de uitbetaling aan op de rekening van je initiatief; twee "
            "mensen van het platform keuren die goed. Daarna laat je met bonnetjes zien waar "
            "het geld aan is besteed. Zo ziet iedereen dat het plan echt is uitgevoerd.",
            "Besides money you ask for hands and things: tasks for volunteers, a space, "
            "materials or know-how. You confirm who helped and for how many hours. Once the "
            "goal is met, you request the payout to your initiative's account; two people of "
            "the platform approve it. Afterwards you show with receipts what the money was "
            "spent on, so everyone can see the plan really happened.",
        ),
        _h("Voor buren", "For neighbours"),
        _p(
            "Je steunt een plan met een gift vanaf vijf euro. Je betaalt veilig via Stripe "
            "met iDEAL of een kaart; wij zien je bankgegevens niet. Je kiest of je naam bij "
            "je gift staat of dat je anoniem geeft. Bij 'alles of niets' krijg je je geld "
            "vanzelf terug als het doel niet op tijd wordt gehaald.",
            "You support a plan with a donation from five euros. You pay safely through "
            "Stripe with iDEAL or a card; we never see your bank details. You choose whether "
            "your name is shown with your donation or you give anonymously. Under 'all or "
            "nothing' your money comes back by itself if the goal is not met in time.",
        ),
        _p(
            "Geen geld, wel tijd? Meld je aan voor een taak: schilderen, koffie schenken, een "
            "flyer ontwerpen. Je krijgt een bevestiging met de datum voor in je agenda, en als "
            "je toch niet kunt, meld je je weer af.",
            "No money, but time? Sign up for a task: painting, serving coffee, designing a "
            "flyer. You get a confirmation with the date for your calendar, and if you cannot "
            "make it after all, you withdraw.",
        ),
        _h("Voor ondernemers", "For businesses"),
        _p(
            "Zet je bedrijf op het platform en bied aan wat je hebt: een ruimte voor een "
            "avond, materiaal dat over is, of vakkennis. Je reageert op een taak van een "
            "initiatief, of zet een vast aanbod in de wijk dat initiatiefnemers kunnen vragen. "
            "De initiatiefnemer neemt je aanbod aan of slaat het af; een aangenomen aanbod "
            "telt mee als steun. Een moderator controleert je KvK-nummer; daarna staat er "
            "'geverifieerd' bij je organisatie.",
            "Put your business on the platform and offer what you have: a space for an "
            "evening, left-over materials, or professional skills. You answer an initiative's "
            "task, or list a standing offer in the neighbourhood that initiators can ask for. "
            "The initiator accepts or declines your offer; an accepted offer counts as support. "
            "A moderator checks your KvK number; then your organisation shows as 'verified'.",
        ),
        _h("Voor fondsen", "For funds"),
        _p(
            "Gemeenten, provincies, woningcorporaties en fondsen zetten een "
            "cofinancieringsregeling op: een budget, een verhouding (bijvoorbeeld één euro bij "
            "elke euro van bewoners), een maximum per initiatief en voor welke wijken of "
            "thema's. Initiatieven doen automatisch mee of vragen het aan. Elke betaalde gift "
            "reserveert het bijgelegde bedrag; wordt het doel niet gehaald, dan komt het budget "
            "vrij. Het budget wordt nooit overschreden, en de toekenningen zijn openbaar als "
            "open data in de 360Giving-standaard.",
            "Municipalities, provinces, housing corporations and funds set up a co-funding "
            "programme: a budget, a ratio (say one euro for every euro from residents), a cap "
            "per initiative and which neighbourhoods or themes it is for. Initiatives join "
            "automatically or apply. Each paid donation reserves the matched amount; if the "
            "goal is not met, the budget is released. The budget is never overspent, and the "
            "grants are published as open data in the 360Giving standard.",
        ),
    ],
}

FAQ = {
    "key": "faq",
    "slug": {"nl": "veelgestelde-vragen", "en": "faq"},
    "title": {"nl": "Veelgestelde vragen", "en": "Frequently asked questions"},
    "search_description": {
        "nl": "Antwoorden op vragen over geven, terugbetalen, helpen, uitbetalen en "
        "verantwoorden op Wijkkapitaal.",
        "en": "Answers to questions about giving, refunds, helping, payouts and accounting "
        "for spending on Wijkkapitaal.",
    },
    "body": [
        (
            "faq",
            {
                "heading": {"nl": "Geven", "en": "Giving"},
                "questions": [
                    _qa(
                        "Hoe betaal ik?",
                        "How do I pay?",
                        "Via Stripe, met iDEAL of een betaalkaart. Je gift telt pas mee als "
                        "Stripe ons laat weten dat de betaling gelukt is; je krijgt dan een "
                        "bewijs per e-mail.",
                        "Through Stripe, with iDEAL or a card. Your donation counts once "
                        "Stripe tells us the payment succeeded; you then get a receipt by "
                        "e-mail.",
                    ),
                    _qa(
                        "Wat gebeurt er als het doel niet gehaald wordt?",
                        "What happens if the goal is not met?",
                        "Bij 'alles of niets' krijgt iedereen zijn gift terug op dezelfde "
                        "rekening of kaart; dat gaat vanzelf. Bij 'houden wat je ophaalt' "
                        "gaat het geld wel naar het initiatief, en doet het zoveel als het "
                        "kan met wat er is.",
                        "Under 'all or nothing' everyone gets their donation back to the same "
                        "account or card, automatically. Under 'keep what you raise' the money "
                        "goes to the initiative, which does as much as it can with it.",
                    ),
                    _qa(
                        "Wat betekent 'verdubbeld door' een fonds?",
                        "What does 'doubled by' a fund mean?",
                        "Een fonds of de gemeente legt geld bij op giften van bewoners, "
                        "bijvoorbeeld één euro bij elke euro, tot een maximum per initiatief. "
                        "Op de pagina van het initiatief zie je hoeveel je gift nu waard is.",
                        "A fund or the municipality adds money to residents' donations, say "
                        "one euro for every euro, up to a cap per initiative. The initiative's "
                        "page shows what your donation is worth right now.",
                    ),
                ],
            },
        ),
        (
            "faq",
            {
                "heading": {"nl": "Helpen en aanbieden", "en": "Helping and offering"},
                "questions": [
                    _qa(
                        "Kan ik helpen zonder geld te geven?",
                        "Can I help without giving money?",
                        "Ja. Meld je aan voor een taak, of bied als ondernemer of vereniging "
                        "een ruimte, materiaal of kennis aan. Uren en spullen tellen mee in "
                        "het wijkkapitaal van het initiatief.",
                        "Yes. Sign up for a task, or, as a business or association, offer a "
                        "space, materials or skills. Hours and things count towards the "
                        "initiative's neighbourhood capital.",
                    ),
                    _qa(
                        "Wat als ik toch niet kan?",
                        "What if I cannot make it after all?",
                        "Meld je af via 'Mijn taken'. Je plek komt dan vrij voor een ander "
                        "en de initiatiefnemer krijgt bericht.",
                        "Withdraw under 'My tasks'. Your place becomes free for someone else "
                        "and the initiator is told.",
                    ),
                ],
            },
        ),
        (
            "faq",
            {
                "heading": {"nl": "Voor initiatiefnemers", "en": "For initiators"},
                "questions": [
                    _qa(
                        "Wanneer krijg ik het geld?",
                        "When do I get the money?",
                        "Na de sluitingsdatum, als het initiatief geslaagd is. Je vraagt de "
                        "uitbetaling aan op een IBAN; na goedkeuring door twee mensen van het "
                        "platform gaat het geld met een SEPA-overboeking naar je toe.",
                        "After the deadline, once the initiative succeeded. You request the "
                        "payout to an IBAN; after two people of the platform approve it, the "
                        "money is sent to you by SEPA transfer.",
                    ),
                    _qa(
                        "Moet ik laten zien waar het geld aan op ging?",
                        "Do I have to show what the money was spent on?",
                        "Ja. Je uploadt de bonnetjes per begrotingsregel. Een moderator keurt "
                        "de verantwoording goed; dan staat het initiatief als 'gerealiseerd' "
                        "op de site en zien gevers wat er met hun geld is gebeurd.",
                        "Yes. You upload receipts per budget line. A moderator approves the "
                        "account of spending; the initiative then shows as 'realised' and "
                        "donors see what happened with their money.",
                    ),
                    _qa(
                        "Wie keurt mijn initiatief goed?",
                        "Who approves my initiative?",
                        "De moderatoren van Wijkkapitaal. Ze kijken of het plan duidelijk, "
                        "haalbaar en voor de wijk is, en vragen je soms om iets aan te passen.",
                        "Wijkkapitaal's moderators. They check that the plan is clear, "
                        "feasible and for the neighbourhood, and sometimes ask you to change "
                        "something.",
                    ),
                ],
            },
        ),
    ],
}

ABOUT = {
    "key": "about",
    "slug": {"nl": "over-ons", "en": "about"},
    "title": {"nl": "Over Wijkkapitaal", "en": "About Wijkkapitaal"},
    "search_description": {
        "nl": "Wijkkapitaal is een platform voor bewonersinitiatieven: crowdfunding en "
        "crowdsourcing, begonnen bij wat de wijk al heeft.",
        "en": "Wijkkapitaal is a platform for residents' initiatives: crowdfunding and "
        "crowdsourcing, starting from what the neighbourhood already has.",
    },
    "body": [
        _p(
            "Elke wijk heeft meer dan je denkt: gebouwen en pleinen, mensen met talent, "
            "verenigingen, winkels, scholen en een woningcorporatie. Dat is het wijkkapitaal. "
            "Wij maken het zichtbaar en brengen het samen rond plannen van bewoners.",
            "Every neighbourhood has more than you think: buildings and squares, people with "
            "talent, associations, shops, schools and a housing corporation. That is its "
            "neighbourhood capital. We make it visible and bring it together around residents' "
            "plans.",
        ),
        _h("Waar we vandaan komen", "Where we come from"),
        _p(
            "Het platform groeit uit de ervaring van Voor je Buurt: initiatieven als De "
            "Bruisplaats in Gouda haalden niet alleen geld op, maar vonden ook tientallen "
            "helpers en ondernemers die meededen. Bewoners zijn hier de programmamakers; wij "
            "zorgen dat het veilig, eerlijk en open gebeurt.",
            "The platform grows from the experience of Voor je Buurt: initiatives such as De "
            "Bruisplaats in Gouda raised not only money but also found dozens of helpers and "
            "businesses that joined in. Residents make the programme here; we make sure it "
            "happens safely, fairly and openly.",
        ),
        _h("Hoe we werken", "How we work"),
        _p(
            "Moderatoren keuren initiatieven goed en houden de site vriendelijk. Geld loopt "
            "via Stripe en gaat pas naar een initiatief na goedkeuring door twee mensen. "
            "Cijfers over giften, uren en bijdragen publiceren we als open data, zonder "
            "namen of adressen.",
            "Moderators approve initiatives and keep the site friendly. Money runs through "
            "Stripe and reaches an initiative only after two people approved the payout. We "
            "publish the figures on donations, hours and contributions as open data, without "
            "names or addresses.",
        ),
    ],
}

CONTACT = {
    "key": "contact",
    "slug": {"nl": "contact", "en": "contact"},
    "title": {"nl": "Contact", "en": "Contact"},
    "search_description": {
        "nl": "Stel je vraag aan de moderatoren van Wijkkapitaal.",
        "en": "Ask the moderators of Wijkkapitaal your question.",
    },
    "intro": {
        "nl": "<p>Een vraag over een initiatief, een gift of je account? Stuur ons een "
        "bericht; de moderatoren lezen het en antwoorden per e-mail. Kijk ook even bij de "
        "veelgestelde vragen.</p>",
        "en": "<p>A question about an initiative, a donation or your account? Send us a "
        "message; the moderators read it and answer by e-mail. You may also find the answer "
        "in the frequently asked questions.</p>",
    },
    "thank_you_text": {
        "nl": "<p>Je bericht is bij de moderatoren. We antwoorden meestal binnen een paar "
        "werkdagen.</p>",
        "en": "<p>Your message reached the moderators. We usually answer within a few "
        "working days.</p>",
    },
}

ORGANISATIONS = {
    "key": "organisations",
    "slug": {"nl": "organisaties", "en": "organisations-list"},
    "title": {"nl": "Organisaties", "en": "Organisations"},
    "search_description": {
        "nl": "Ondernemers, verenigingen, woningcorporaties, gemeenten en fondsen die "
        "meedoen met Wijkkapitaal.",
        "en": "Businesses, associations, housing corporations, municipalities and funds "
        "taking part in Wijkkapitaal.",
    },
    "intro": {
        "nl": "<p>Zij doen mee: met ruimte, materiaal, kennis of geld. Bij 'geverifieerd' "
        "heeft een moderator het KvK-nummer gecontroleerd.</p>",
        "en": "<p>They take part with space, materials, skills or money. 'Verified' means a "
        "moderator checked the KvK number.</p>",
    },
}

STANDARD_PAGES = [HOW_IT_WORKS, FAQ, ABOUT]

# The footer's links, in order, by each page's key.
FOOTER_LINKS = ["how_it_works", "faq", "about", "organisations", "contact"]
