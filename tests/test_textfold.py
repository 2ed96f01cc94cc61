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
