"""The privacy statement and terms of use of the demo site, in Dutch with English below.

They describe what the platform stores and why, as built (docs/privacy.md); an operator
edits them in the Wagtail admin before going live.
"""

PRIVACY = {
    "slug": "privacy",
    "title": "Privacyverklaring / Privacy statement",
    "body": [
        (
            "paragraph",
            "<p>Wijkkapitaal bewaart zo weinig mogelijk over je, alleen zolang het "
            "nodig is, en nooit om te verkopen. Hieronder staat wat we bewaren en waarom.</p>",
        ),
        ("heading", "Je account"),
        (
            "paragraph",
            "<p>Je e-mailadres (om in te loggen en je berichten te sturen), je naam "
            "zoals je die op initiatieven laat zien, je taal en een versleuteld wachtwoord. "
            "Grondslag: de overeenkomst met jou.</p>",
        ),
        ("heading", "Donaties"),
        (
            "paragraph",
            "<p>Het bedrag, de naam die je bij je gift laat zien (of anoniem), je "
            "bericht aan de initiatiefnemers en, als je zonder account geeft, je e-mailadres "
            "voor je bewijs van betaling. Je betaalt via Stripe; wij zien je bank- of "
            "kaartgegevens niet. Stripe stuurt ons meldingen met je naam en e-mailadres; na 90 "
            "dagen houden we daarvan alleen bedragen, kenmerken en de status. Het e-mailadres "
            "van een gast wissen we 18 maanden nadat het initiatief is afgesloten. Bedragen "
            "blijven bewaard voor de boekhouding (fiscale bewaarplicht). Nieuws over het "
            "initiatief krijg je als gast alleen als je dat aanvinkt.</p>",
        ),
        ("heading", "Helpen en aanbieden"),
        (
            "paragraph",
            "<p>Als je je aanmeldt voor een taak of iets aanbiedt, zien de "
            "initiatiefnemers je naam en e-mailadres, zodat ze je kunnen bereiken. We bewaren je "
            "aanmelding, je notitie en de bevestigde uren.</p>",
        ),
        ("heading", "E-mail"),
        (
            "paragraph",
            "<p>We houden bij welk bericht we je stuurden, zodat je niets twee keer "
            "krijgt, en wissen dat na twee jaar. Je kiest zelf welke berichten je wilt via "
            "'E-mailvoorkeuren' of de link onderaan elke e-mail.</p>",
        ),
        ("heading", "Je rechten"),
        (
            "paragraph",
            "<p>Onder 'Mijn gegevens' download je alles wat we over je bewaren "
            "(JSON en een leesbare pagina) en verwijder je je account. Je gesteunde bedragen "
            "blijven dan zonder je naam in de boeken; waar je naam te zien was, staat "
            "'Oud-lid'. Je kunt ook een klacht indienen bij de Autoriteit Persoonsgegevens.</p>",
        ),
        ("heading", "In English"),
        (
            "paragraph",
            "<p>Wijkkapitaal keeps as little about you as it can, only as long as "
            "needed, and never sells it. Your account holds your e-mail address, the name you "
            "show, your language and a hashed password. A donation holds the amount, the name "
            "you show (or anonymous), your message and, for guests, the e-mail address for "
            "the receipt. Payments run through Stripe; we never see your bank or card details, "
            "and we cut Stripe's notifications down to amounts, ids and statuses after 90 days. "
            "A guest's e-mail address is erased 18 months after the initiative closed; amounts "
            "stay in the books. Guests only get news about an initiative if they tick the box. "
            "When you sign up for a task or offer something, the initiators see your name and "
            "e-mail address. The log of e-mail we sent you is erased after two years.</p>"
            "<p>Under 'My data' you download everything we hold about you and delete your "
            "account. Your donations then stay in the books without your name; where it was "
            "shown, it says 'Former member'. You may complain to the Dutch Data Protection "
            "Authority (Autoriteit Persoonsgegevens).</p>",
        ),
    ],
}

TERMS = {
    "slug": "voorwaarden",
    "title": "Gebruiksvoorwaarden / Terms of use",
    "body": [
        (
            "paragraph",
            "<p>Wijkkapitaal brengt bewoners met een idee samen met buren, "
            "ondernemers en fondsen. Initiatiefnemers beloven te doen wat ze beschrijven en "
            "verantwoorden hoe ze het geld besteden. Bij 'alles of niets' krijg je je gift terug "
            "als het doel niet op tijd wordt gehaald. Moderatoren keuren initiatieven goed en "
            "mogen berichten die kwetsen of misleiden weghalen.</p>",
        ),
        ("heading", "In English"),
        (
            "paragraph",
            "<p>Wijkkapitaal brings residents with an idea together with "
            "neighbours, businesses and funds. Initiators promise to do what they describe and "
            "account for how they spend the money. Under 'all or nothing' you get your donation "
            "back if the goal is not reached in time. Moderators approve initiatives and may "
            "remove messages that hurt or mislead.</p>",
        ),
    ],
}
