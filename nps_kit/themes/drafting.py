"""Drafting a codebook from the uncoded comments: frequent terms as candidate themes."""

from __future__ import annotations


import numpy as np
import pandas as pd

from nps_kit.themes.codebook import normalize_text

# --------------------------------------------------------------------------------------------
# drafting a codebook
# --------------------------------------------------------------------------------------------

STOP_WORDS: frozenset[str] = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each even ever every few for
from further get got had has have having he her here hers him his how i if in into is it its
itself just let me more most much my no nor not now of off on once only or other our ours out
over own quite really same she should so some still such than that the their theirs them then
there these they this those through to too under until up us very was we were what when where
which while who whom why will with would you your yours yet one two lot lots bit thing things
""".split())
"""English words :func:`draft_codebook` never proposes."""

STOP_WORDS_BY_LANGUAGE: dict[str, frozenset[str]] = {
    "en": STOP_WORDS,
    "de": frozenset("""
aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei beim bin
bis bist da damit dann das dass dein deine dem den denn der des dessen die dies diese diesem
diesen dieser dieses doch dort du durch ein eine einem einen einer eines er es etwas euch euer
für gar gegen gewesen hab habe haben hat hatte hier hin hinter ich ihr ihre im in ist ja jede
jedem jeden jeder jetzt kann kein keine können man mehr mein meine mich mir mit muss nach nicht
nichts noch nun nur ob oder ohne schon sehr sein seine sich sie sind so sollte sondern sonst
über um und uns unser unter viel vom von vor war waren warum was weil weiter welche wenn wer
werden wie wieder wir wird wo würde zu zum zur zwar zwischen immer leider einfach wirklich gut
""".split()),
    "fr": frozenset("""
alors au aucun aussi autre aux avec avoir bon car ce cela celle ces cet cette ceux chaque comme
dans de des du elle elles en encore est et été être eu fait faire il ils je juste la le les leur
lui mais me même mes moi mon ne ni nos notre nous on ou où par pas peu peut plus pour pourquoi
quand que quel quelle qui sa sans se ses si son sont sur ta te tes toi ton tous tout très tu un
une vos votre vous était avait ont fois bien rien toujours vraiment
""".split()),
    "es": frozenset("""
al algo algunos ante antes como con contra cual cuando de del desde donde durante el ella ellos
en entre era es esa ese eso esta este esto estos fue ha hay la las le les lo los más me mi mis
mucho muy nada ni no nos nosotros o otra otro para pero poco por porque que quien se sea ser si
sin sobre son su sus también tan tanto te tiene todo todos tu un una uno unos usted ya yo
siempre bien bastante hace han
""".split()),
    "it": frozenset("""
a abbiamo ad al alla alle allo anche ancora che chi ci come con cosa da dal dalla dei del della
delle di dove e è gli ha hanno ho i il in io la le lei li lo loro lui ma mi mio molto ne nei
nel nella non noi o per perché più poco quale quando quello questa questo se sempre si sia
siamo sono su sua sue suo sul sulla tra tu tutti tutto un una uno vi voi già stato stata bene
""".split()),
    "pt": frozenset("""
a ao aos as até com como da das de dela dele deles do dos e é ela ele eles em entre era essa
esse esta este eu foi há isso isto já la lhe mais mas me mesmo meu minha muito na nas não nem
no nos nós o os ou para pela pelo pode por porque quando que quem se sem ser seu sua são também
te tem tinha um uma você vocês sempre bem bastante está estão foram
""".split()),
    "nl": frozenset("""
aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een
eens en er ge geen geweest had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is
ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat
ons ook op over reeds te tegen toch toen tot u uit uw van veel voor want waren was wat we wel
werd wie wij wordt zal ze zelf zich zij zijn zo zonder zou erg heel goed echt
""".split()),
    "pl": frozenset("""
a aby ale bardzo bez był była było być ci co czy dla do go i ich ile im jak jako jej jest jeszcze
jego już każdy kiedy kto która które który lub ma mają mi mnie mu na nad nam nas nie nic nich
nim niż o od oraz po pod przez przy się są ta tak tam te tego tej ten to tu tylko tym u w we
więc z za ze że zawsze dobrze
""".split()),
}
"""Stop words per language (ISO 639-1), for the languages of :mod:`nps_kit.themes.language`."""


def stop_words(language: str | None) -> frozenset[str]:
    """English stop words plus those of ``language`` (``"all"``: every language listed)."""
    if language == "all":
        return frozenset().union(*STOP_WORDS_BY_LANGUAGE.values())
    return STOP_WORDS | STOP_WORDS_BY_LANGUAGE.get(language or "en", frozenset())


def _terms(texts: pd.Series, stop: frozenset[str] = STOP_WORDS) -> pd.Series:
    """Per comment, the set of its words (3+ letters, not stop words) and CJK/Thai bigrams."""
    norm = normalize_text(texts).astype(object)
    words = norm.str.findall(r"[^\W\d_]{3,}")
    spaceless = norm.str.findall(r"[\u0e00-\u0eff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]{2,}")
    exploded = pd.concat([words.explode(), spaceless.explode()])
    exploded = exploded.dropna()
    is_run = exploded.str.contains(r"[\u0e00-\u0eff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]",
                                   regex=True)
    runs = exploded[is_run]
    pieces = []
    if len(runs):
        # character bigrams of runs written without spaces: one slice per position, not per row
        for k in range(int(runs.str.len().max()) - 1):
            piece = runs.str.slice(k, k + 2)
            pieces.append(piece[piece.str.len() == 2])
    bigrams = pd.concat(pieces) if pieces else pd.Series([], dtype=object)
    terms = pd.concat([exploded[~is_run], bigrams])
    folded = frozenset(normalize_text(pd.Series(sorted(stop))).astype(str)) | stop
    terms = terms[~terms.isin(folded)]
    frame = pd.DataFrame({"doc": terms.index, "term": terms.to_numpy(dtype=object)})
    return frame.drop_duplicates()


def draft_codebook(uncoded: pd.Series, coded: pd.Series | None = None,
                   n_terms: int = 20, min_count: int = 2, language: str | None = "auto",
                   ) -> pd.DataFrame:
    """Candidate keywords: the words that most distinguish uncoded comments from coded ones.

    Each term is counted once per comment (words of 3+ letters without English stop words;
    character bigrams for Chinese, Japanese, Korean and Thai). Terms are ranked by the log odds
    ratio of appearing in an uncoded against a coded comment, with 0.5 added to each cell:
    ``log((u + 0.5) / (U - u + 0.5)) - log((c + 0.5) / (C - c + 0.5))`` for a term in u of U
    uncoded and c of C coded comments. Without ``coded`` the ranking is by ``u``.

    Parameters
    ----------
    uncoded : Series
        Comments no theme matched (e.g. from :func:`uncoded_comments`).
    coded : Series, optional
        Coded comments, as the contrast.
    n_terms : int
        Terms to return.
    min_count : int
        Minimum number of uncoded comments a term must appear in.
    language : str or None
        Whose stop words to leave out besides English: ``"auto"`` detects the comments'
        language (:func:`nps_kit.themes.language.detect_language`), an ISO 639-1 code of
        :data:`STOP_WORDS_BY_LANGUAGE`, ``"all"``, or None for English only.

    Returns
    -------
    DataFrame
        ``term``, ``uncoded`` (comments), ``coded`` (comments), ``log_odds``; best first.

    Examples
    --------
    >>> u = pd.Series(["the invoice portal is slow", "invoice portal login fails"])
    >>> draft_codebook(u, n_terms=2)["term"].tolist()
    ['invoice', 'portal']
    """
    if language == "auto":
        from nps_kit.themes.language import detect_language

        language = detect_language(pd.Series(uncoded)).language
    stop = stop_words(language)
    u_terms = _terms(pd.Series(uncoded).reset_index(drop=True), stop)
    U = int(pd.Series(uncoded).notna().sum())
    u_count = u_terms.groupby("term").size()
    if coded is not None:
        c_terms = _terms(pd.Series(coded).reset_index(drop=True), stop)
        C = int(pd.Series(coded).notna().sum())
        c_count = c_terms.groupby("term").size().reindex(u_count.index, fill_value=0)
    else:
        C = 0
        c_count = pd.Series(0, index=u_count.index)
    table = pd.DataFrame({"term": u_count.index, "uncoded": u_count.to_numpy(),
                          "coded": c_count.to_numpy()})
    table = table[table["uncoded"] >= min_count]
    if coded is not None:
        u, c = table["uncoded"], table["coded"]
        table["log_odds"] = np.log((u + 0.5) / (U - u + 0.5)) - np.log((c + 0.5) / (C - c + 0.5))
        key = ["log_odds", "uncoded", "term"]
        asc = [False, False, True]
    else:
        table["log_odds"] = np.nan
        key, asc = ["uncoded", "term"], [False, True]
    table = table.sort_values(key, ascending=asc, kind="stable").head(int(n_terms))
    return table.reset_index(drop=True)


__all__ = ["draft_codebook", "STOP_WORDS", "STOP_WORDS_BY_LANGUAGE", "stop_words"]
