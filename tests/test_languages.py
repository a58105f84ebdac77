"""Comments in six European languages: detected, coded with the starter codebook of their
language, and drafted without that language's stop words.

The comments are written here in the style of real B2B feedback, not taken from the demo data.
"""

from __future__ import annotations

import pandas as pd
import pytest

COMMENTS = {
    "de": [
        "Der Support reagiert schnell und ist sehr freundlich.",
        "Die Preise sind für kleine Firmen leider viel zu hoch.",
        "Seit dem letzten Update stürzt die Software ständig ab.",
        "Die Lieferung kam zwei Wochen zu spät, niemand hat uns informiert.",
        "Die Oberfläche ist übersichtlich und einfach zu bedienen.",
        "Die Berichte lassen sich nicht nach Excel exportieren.",
        "Die Schulung war hilfreich, aber die Dokumentation ist veraltet.",
        "Auf der Rechnung wurde uns die Lizenz doppelt berechnet.",
        "Kundenservice am Telefon kaum erreichbar, Tickets bleiben liegen.",
        "Preis-Leistung stimmt, wir sind insgesamt zufrieden.",
        "Das System ist oft langsam und die Fehler werden nicht behoben.",
        "Ich würde es Kollegen empfehlen, weil alles funktioniert.",
    ],
    "fr": [
        "Le service client répond rapidement et reste aimable.",
        "Les prix ont beaucoup augmenté, c'est trop cher pour nous.",
        "Le logiciel plante souvent depuis la dernière mise à jour.",
        "La livraison est arrivée avec une semaine de retard.",
        "L'interface est simple et intuitive.",
        "Les rapports ne peuvent pas être exportés facilement.",
        "La formation était utile mais la documentation est incomplète.",
        "La facture contenait une erreur sur la licence.",
    ],
    "es": [
        "El soporte responde rápido y el trato es muy amable.",
        "El precio es demasiado caro para una empresa pequeña.",
        "La aplicación se cae cada semana y pierde datos.",
        "El envío llegó con mucho retraso.",
        "La interfaz es sencilla y fácil de usar.",
        "Los informes no se pueden exportar a Excel.",
        "La formación fue buena pero falta documentación.",
        "Nos cobraron dos veces la factura del mes pasado.",
    ],
    "it": [
        "L'assistenza risponde subito ed è molto gentile.",
        "Il prezzo è troppo caro rispetto alla concorrenza.",
        "Il programma si blocca spesso dopo l'ultimo aggiornamento.",
        "La consegna è arrivata con due settimane di ritardo.",
        "L'interfaccia è semplice e intuitiva.",
        "I report non si possono esportare in Excel.",
        "La formazione è stata utile ma manca la documentazione.",
        "In fattura ci hanno addebitato la licenza due volte.",
    ],
    "pt": [
        "O suporte responde rápido e o atendimento é muito educado.",
        "O preço está caro demais para empresas pequenas.",
        "O sistema trava toda semana e perde dados.",
        "A entrega chegou com muito atraso.",
        "A interface é simples e fácil de usar.",
        "Os relatórios não podem ser exportados para Excel.",
        "O treinamento foi bom, mas falta documentação.",
        "Fomos cobrados duas vezes na fatura do mês passado.",
    ],
    "nl": [
        "De klantenservice reageert snel en is erg vriendelijk.",
        "De prijs is veel te hoog voor kleine bedrijven.",
        "Sinds de laatste update loopt het systeem vaak vast.",
        "De levering kwam een week te laat.",
        "De interface is overzichtelijk en makkelijk te gebruiken.",
        "Rapportages kunnen niet naar Excel worden geëxporteerd.",
        "De training was nuttig, maar de handleiding is verouderd.",
        "Op de factuur stond de licentie dubbel.",
    ],
}


@pytest.mark.parametrize("language", sorted(COMMENTS))
def test_language_is_detected_and_its_starter_codes_most_comments(language):
    from nps_kit.themes.codebook import load_codebook
    from nps_kit.themes.coding import coding_summary
    from nps_kit.themes.language import codebook_for, detect_language

    comments = pd.Series(COMMENTS[language])
    guess = detect_language(comments)
    assert guess.language == language and guess.share >= 0.75, guess
    book, why, _ = codebook_for(comments)
    assert book.name == f"customer-{language}" and guess.name in why
    frame = pd.DataFrame({"comment": comments})
    native = coding_summary(frame, "comment", book).coded_share
    english = coding_summary(frame, "comment", load_codebook("starter:customer")).coded_share
    assert native >= 0.75, (language, native)
    assert native > english


def test_english_comments_keep_the_english_starter_and_unknown_language_says_so():
    from nps_kit.themes.language import codebook_for

    book, why, guess = codebook_for(pd.Series(["The support team was slow to reply",
                                               "Pricing is too high for what we get"]))
    assert book.name == "customer" and guess.language == "en"
    book, why, guess = codebook_for(pd.Series(["ok", "good", None]))
    assert guess.language is None and book.name == "customer" and "too few" in why
    book, why, guess = codebook_for(pd.Series(["Obsługa klienta była bardzo pomocna i szybka",
                                               "Cena jest zdecydowanie za wysoka dla nas"]))
    assert guess.language == "pl" and book.name == "customer" and "no Polish starter" in why


def test_draft_codebook_leaves_out_the_stop_words_of_the_language():
    from nps_kit.themes.drafting import STOP_WORDS_BY_LANGUAGE, draft_codebook

    uncoded = pd.Series(COMMENTS["de"] * 2)
    terms = set(draft_codebook(uncoded, n_terms=200, min_count=2)["term"])
    assert terms and not terms & STOP_WORDS_BY_LANGUAGE["de"]
    assert {"nicht", "und", "die"}.isdisjoint(terms)
    assert "rechnung" in terms or "lieferung" in terms
