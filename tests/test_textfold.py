"""Folding keeps every character at its place, and its fast path agrees with the slow one."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from rectcli.textfold import fold, fold_char


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30))
@example("（一）Ｍ０公车")
@example("e\u0301")           # decomposed: not NFKC
@example("\u212b")            # Angstrom sign: a singleton decomposition
@example("İΣς")               # lower case that changes length, final sigma
@example("\uf900\u2f00㊀")    # compatibility ideograph, Kangxi radical, circled ideograph
def test_fold_is_per_character_and_fast_path_agrees(text):
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "".join(fold_char(ch) for ch in text)


def test_full_width_and_case_fold_both_ways():
    assert fold("（一）") == fold("(一)") == "(一)"
    assert fold("Ｍ０") == fold("m0") == "m0"
    assert fold("１＋Ｘ") == fold("1+x")


# ---------------------------------------------------------------- canonical equivalence

import unicodedata  # noqa: E402

from rectcli.textfold import fold_canonical, fold_mapped  # noqa: E402

# letters that decompose (é, Å, 가), the marks and jamo they decompose into, a compatibility
# ideograph (U+F900 is canonically U+8C48), the Angstrom sign, marks that never compose
CANONICAL = st.text(alphabet=st.sampled_from(list(
    "aeAEouqCé\u00c5\u212b가각한국\u1100\u1161\u11a8\u0301\u0300\u0308\u0323\u030a\uf900\u8c48豈公车 （Ｍ")),
    max_size=25)


def _nfkc_lower(s: str) -> str:
    return unicodedata.normalize("NFKC", s).lower()


@settings(max_examples=2000, deadline=None)
@given(CANONICAL)
@example("Cafe\u0301")
@example("\u1112\u1161\u11ab\u1100\u116e\u11a8")  # 한국 as jamo
@example("\u0301e")  # a mark before any letter
def test_canonical_fold_maps_back_to_the_original(text):
    folded, starts, ends = fold_mapped(text)
    assert folded == fold_canonical(text)
    # canonically equivalent input folds to the same text
    assert fold_canonical(unicodedata.normalize("NFD", text)) == folded
    assert fold_canonical(unicodedata.normalize("NFC", text)) == folded
    assert len(starts) == len(ends) == len(folded)
    assert all(0 <= s < e <= len(text) for s, e in zip(starts, ends))
    assert list(starts) == sorted(starts) and list(ends) == sorted(ends)
    if folded:
        assert starts[0] == 0 and ends[-1] == len(text)
    # every stretch of the folded text stands for a stretch of the original that says the same
    for a in range(len(folded)):
        for b in range(a + 1, len(folded) + 1):
            assert folded[a:b] in fold_canonical(text[starts[a]:ends[b - 1]])


def test_canonical_fold_composes_both_ways():
    nfd = unicodedata.normalize("NFD", "Café 한국")
    assert nfd != "Café 한국" and len(nfd) == 12
    assert fold_canonical(nfd) == fold_canonical("Café 한국") == "café 한국"
    folded, starts, ends = fold_mapped(nfd)
    assert folded == "café 한국"
    assert (starts[3], ends[3]) == (3, 5)      # é is e + U+0301
    assert (starts[5], ends[5]) == (6, 9)      # 한 is three jamo
    assert (starts[6], ends[6]) == (9, 12)     # 국 too
    assert fold_canonical("\uf900") == "\u8c48"  # a compatibility ideograph is its unified twin
    assert fold_canonical("\u212b") == "å"       # the Angstrom sign is Å
