"""The privacy statement and terms of use of the demo site, in Dutch and in English.

They describe what the platform stores and why, as built (docs/privacy.md); an operator
edits them in the Wagtail admin before going live. The English texts become the Dutch
pages' translations in the English page tree (``demo.translations``).
"""

PRIVACY = {
    "slug": "privacy",
    "title": "Privacyverklaring",
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
    ],
}

TERMS = {
    "slug": "voorwaarden",
    "title": "Gebruiksvoorwaarden",
    "body": [
        (
            "paragraph",
            "<p>Wijkkapitaal brengt bewoners met een idee samen met buren, "
            "ondernemers en fondsen. Initiatiefnemers beloven te doen wat ze beschrijven en "
            "verantwoorden hoe ze het geld besteden. Bij 'alles of niets' krijg je je gift terug "
            "als het doel niet op tijd wordt gehaald. Moderatoren keuren initiatieven goed en "
            "mogen berichten die kwetsen of misleiden weghalen.</p>",
        ),
    ],
}

PRIVACY_EN = {
    "slug": "privacy",
    "title": "Privacy statement",
    "body": [
        (
            "paragraph",
            "<p>Wijkkapitaal keeps as little about you as it can, only for as long as it is "
            "needed, and never to sell. Below is what we keep and why.</p>",
        ),
        ("heading", "Your account"),
        (
            "paragraph",
            "<p>Your e-mail address (to log in and to send you messages), your name as you "
            "show it on initiatives, your language and an encrypted password. Legal basis: "
            "our agreement with you.</p>",
        ),
        ("heading", "Donations"),
        (
            "paragraph",
            "<p>The amount, the name you show with your gift (or anonymous), your message "
            "to the initiators and, if you give without an account, your e-mail address for "
            "your receipt. You pay through Stripe; we never see your bank or card details. "
            "Stripe sends us notifications with your name and e-mail address; after 90 days "
            "we keep only amounts, references and the status. A guest's e-mail address is "
            "erased 18 months after the initiative closed. Amounts are kept for the books "
            "(the legal duty to keep tax records). As a guest you only get news about the "
            "initiative if you tick the box.</p>",
        ),
        ("heading", "Helping and offering"),
        (
            "paragraph",
            "<p>When you sign up for a task or offer something, the initiators see your "
            "name and e-mail address, so that they can reach you. We keep your sign-up, your "
            "note and the confirmed hours.</p>",
        ),
        ("heading", "E-mail"),
        (
            "paragraph",
            "<p>We keep track of which message we sent you, so that you never get one "
            "twice, and erase that record after two years. You choose which messages you "
            "want under 'E-mail preferences' or through the link at the bottom of every "
            "e-mail.</p>",
        ),
        ("heading", "Your rights"),
        (
            "paragraph",
            "<p>Under 'My data' you download everything we keep about you (as JSON and as "
            "a readable page) and delete your account. The amounts you gave then stay in "
            "the books without your name; where your name was shown, it says 'Former "
            "member'. You may also complain to the Dutch Data Protection Authority "
            "(Autoriteit Persoonsgegevens).</p>",
        ),
    ],
}

TERMS_EN = {
    "slug": "terms",
    "title": "Terms of use",
    "body": [
        (
            "paragraph",
            "<p>Wijkkapitaal brings residents with an idea together with neighbours, "
            "businesses and funds. Initiators promise to do what they describe and to "
            "account for how they spend the money. Under 'all or nothing' you get your "
            "donation back if the goal is not reached in time. Moderators approve "
            "initiatives and may remove messages that hurt or mislead.</p>",
        ),
    ],
}
